import Foundation

/// 32-byte Ed25519 keys in files: 64 hex digits or standard base64 (44 characters with padding).
enum KeyEncoding {
    enum Problem: Error, Equatable {
        case notHexOrBase64
        case wrongLength(Int)
    }

    static func decode32(_ text: Substring) throws(Problem) -> [UInt8] {
        let bytes: [UInt8]
        if text.count == 64, let hex = Hex.decode(text) {
            bytes = hex
        } else if let data = Data(base64Encoded: String(text)) {
            bytes = Array(data)
        } else {
            throw .notHexOrBase64
        }
        guard bytes.count == 32 else { throw .wrongLength(bytes.count) }
        return bytes
    }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}

/// Operator names in key files: 1–32 of letters, digits, `.`, `_`, `-`.
enum OperatorName {
    static func isValid(_ name: some StringProtocol) -> Bool {
        guard (1...32).contains(name.utf8.count) else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F
                || c == 0x2D
        }
    }
}
