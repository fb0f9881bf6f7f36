/// Why a text is not TOML, and where: line and column count from 1, the column in Unicode scalars.
public struct TOMLSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(line):\(column): \(message)" }

    /// Line and column of the byte at `offset` of `bytes`, found only when an error is reported.
    init(at offset: Int, in bytes: [UInt8], _ message: String) {
        var line = 1
        var column = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        self.init(line: line, column: column, message: message)
    }
}
