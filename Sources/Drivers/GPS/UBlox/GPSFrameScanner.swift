/// A checksum-valid frame seen on a receiver's wire during set-up.
public enum GPSWireFrame: Equatable, Sendable {
    case ubx(UBXMessageID, payload: [UInt8])
    /// An NMEA sentence's address field ("GNRMC", "GPGGA", "PUBX" …).
    case nmea(address: String)
}

/// Finds whole, checksum-valid UBX frames and NMEA sentences in a byte stream of unknown speed and content, for the
/// receiver set-up (autobaud, acknowledgements, MON-VER). At a wrong baud rate the bytes are framing garbage; the
/// checksums are what tells a real frame from noise. Start-up only: it keeps payloads in arrays.
public struct GPSFrameScanner: Sendable {
    public private(set) var bytes = 0
    public private(set) var ubxFrames = 0
    public private(set) var nmeaSentences = 0
    /// The last few valid frames' names, for error messages ("heard $GNRMC, $GNGGA").
    public private(set) var heard: [String] = []

    /// Longest payload kept: a MON-VER with many extensions is ~ 400 bytes; longer frames are skipped.
    static let maximumPayload = 1024
    /// NMEA 0183 caps a sentence at 82 characters; u-blox PUBX sentences run a little longer.
    static let maximumSentence = 120

    private enum UBXState { case idle, sync2, messageClass, id, length1, length2, payload, checksumA, checksumB }
    private var ubxState = UBXState.idle
    private var message = UBXMessageID(0, 0)
    private var length = 0
    private var payload: [UInt8] = []
    private var checksumA: UInt8 = 0
    private var checksumB: UInt8 = 0
    private var receivedA: UInt8 = 0

    private var sentence: [UInt8] = []
    private var inSentence = false

    public init() {}

    public mutating func consume(_ byte: UInt8) -> GPSWireFrame? {
        bytes += 1
        let fromNMEA = consumeNMEA(byte)
        let fromUBX = consumeUBX(byte)
        return fromUBX ?? fromNMEA
    }

    private mutating func note(_ name: String) {
        heard.append(name)
        if heard.count > 4 { heard.removeFirst() }
    }

    private mutating func add(_ byte: UInt8) {
        checksumA &+= byte
        checksumB &+= checksumA
    }

    private mutating func consumeUBX(_ byte: UInt8) -> GPSWireFrame? {
        switch ubxState {
        case .idle:
            if byte == UBXFrame.sync1 { ubxState = .sync2 }
        case .sync2:
            ubxState = byte == UBXFrame.sync2 ? .messageClass : (byte == UBXFrame.sync1 ? .sync2 : .idle)
        case .messageClass:
            checksumA = 0
            checksumB = 0
            add(byte)
            message.messageClass = byte
            ubxState = .id
        case .id:
            add(byte)
            message.id = byte
            ubxState = .length1
        case .length1:
            add(byte)
            length = Int(byte)
            ubxState = .length2
        case .length2:
            add(byte)
            length |= Int(byte) << 8
            payload.removeAll(keepingCapacity: true)
            if length > Self.maximumPayload {
                ubxState = .idle
            } else {
                ubxState = length == 0 ? .checksumA : .payload
            }
        case .payload:
            add(byte)
            payload.append(byte)
            if payload.count >= length { ubxState = .checksumA }
        case .checksumA:
            receivedA = byte
            ubxState = .checksumB
        case .checksumB:
            ubxState = .idle
            guard receivedA == checksumA, byte == checksumB else { return nil }
            ubxFrames += 1
            note(message.description)
            return .ubx(message, payload: payload)
        }
        return nil
    }

    private mutating func consumeNMEA(_ byte: UInt8) -> GPSWireFrame? {
        if byte == UInt8(ascii: "$") {
            sentence.removeAll(keepingCapacity: true)
            inSentence = true
            return nil
        }
        guard inSentence else { return nil }
        if byte == 0x0D || byte == 0x0A {
            inSentence = false
            return finishSentence()
        }
        guard byte >= 0x20, byte < 0x7F, sentence.count < Self.maximumSentence else {
            inSentence = false
            return nil
        }
        sentence.append(byte)
        return nil
    }

    /// `sentence` holds what came between `$` and the line end: body `*` two hex digits.
    private mutating func finishSentence() -> GPSWireFrame? {
        guard sentence.count >= 4, sentence[sentence.count - 3] == UInt8(ascii: "*") else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        guard let high = nibble(sentence[sentence.count - 2]), let low = nibble(sentence[sentence.count - 1]) else {
            return nil
        }
        let body = sentence[0..<(sentence.count - 3)]
        guard body.reduce(0, ^) == high << 4 | low else { return nil }
        let address = String(decoding: body.prefix { $0 != UInt8(ascii: ",") }, as: UTF8.self)
        nmeaSentences += 1
        note("$" + address)
        return .nmea(address: address)
    }
}
