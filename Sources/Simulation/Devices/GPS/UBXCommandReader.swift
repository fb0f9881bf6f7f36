/// A UBX frame the host sent the emulated receiver.
struct UBXCommand: Equatable {
    var messageClass: UInt8
    var id: UInt8
    var payload: [UInt8]
}

/// The receiver's side of the UBX input: reassembles checksum-valid frames from the host's bytes. Written apart from
/// the flight driver's builders on purpose, so a builder mistake cannot be mirrored here and go unnoticed.
struct UBXCommandReader {
    private enum State { case idle, sync2, header, payload, checksum }
    private var state = State.idle
    private var header: [UInt8] = []
    private var payload: [UInt8] = []
    private var trailer: [UInt8] = []
    private var length = 0

    mutating func consume(_ byte: UInt8) -> UBXCommand? {
        switch state {
        case .idle:
            if byte == 0xB5 { state = .sync2 }
        case .sync2:
            state = byte == 0x62 ? .header : (byte == 0xB5 ? .sync2 : .idle)
            header.removeAll(keepingCapacity: true)
        case .header:
            header.append(byte)
            if header.count == 4 {
                length = Int(header[2]) | Int(header[3]) << 8
                payload.removeAll(keepingCapacity: true)
                trailer.removeAll(keepingCapacity: true)
                // A receiver's input buffer is finite; a longer "frame" is line noise.
                state = length > 1024 ? .idle : (length == 0 ? .checksum : .payload)
            }
        case .payload:
            payload.append(byte)
            if payload.count == length { state = .checksum }
        case .checksum:
            trailer.append(byte)
            guard trailer.count == 2 else { return nil }
            state = .idle
            var a: UInt8 = 0
            var b: UInt8 = 0
            for x in header + payload {
                a &+= x
                b &+= a
            }
            guard trailer[0] == a, trailer[1] == b else { return nil }
            return UBXCommand(messageClass: header[0], id: header[1], payload: payload)
        }
        return nil
    }
}
