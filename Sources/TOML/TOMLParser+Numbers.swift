extension TOMLParser {
    /// An integer (decimal with optional sign, or `0x`/`0o`/`0b`) or a float (fraction and/or exponent, `inf`,
    /// `nan`), underscores only between digits.
    mutating func number() throws(TOMLSyntaxError) -> TOMLValue {
        let start = index
        while index < bytes.count, isNumberByte(bytes[index]) { index += 1 }
        let token = Array(bytes[start..<index])
        let text = String(decoding: token, as: UTF8.self)
        func bad(_ why: String) -> TOMLSyntaxError { error("invalid number '\(text)': \(why)", at: start) }
        guard let first = token.first else { throw error("expected a value, found \(describeHere())") }

        let signed = first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
        let negative = first == UInt8(ascii: "-")
        let body = signed ? Array(token.dropFirst()) : token
        if body == Array("inf".utf8) { return .float(negative ? -.infinity : .infinity) }
        if body == Array("nan".utf8) { return .float(negative ? -.nan : .nan) }
        guard let lead = body.first, isDigit(lead) else {
            if signed { throw bad("a sign must be followed by a digit, 'inf' or 'nan'") }
            throw error("expected a value (a string needs quotes; booleans are 'true' and 'false')", at: start)
        }

        if body.count > 1, lead == UInt8(ascii: "0"), let radix = radix(of: body[1]) {
            guard !signed else { throw bad("a hexadecimal, octal or binary integer cannot have a sign") }
            let digits = body.dropFirst(2)
            try checkUnderscores(digits, isDigit: { digitValue($0, radix: radix) != nil }, bad)
            var value: Int64 = 0
            for d in digits where d != UInt8(ascii: "_") {
                guard let v = digitValue(d, radix: radix) else {
                    throw bad("'\(Character(Unicode.Scalar(d)))' is not a base-\(radix) digit")
                }
                let (m, o1) = value.multipliedReportingOverflow(by: Int64(radix))
                let (s, o2) = m.addingReportingOverflow(Int64(v))
                guard !o1, !o2 else { throw bad("it does not fit a 64-bit signed integer") }
                value = s
            }
            return .integer(value)
        }

        // Decimal: integer part, optional fraction, optional exponent.
        var i = 0
        func run() -> ArraySlice<UInt8> {
            let s = i
            while i < body.count, isDigit(body[i]) || body[i] == UInt8(ascii: "_") { i += 1 }
            return body[s..<i]
        }
        let integerPart = run()
        try checkUnderscores(integerPart, isDigit: isDigit, bad)
        if integerPart.count > 1, integerPart.first == UInt8(ascii: "0") {
            throw bad("leading zeros are not allowed")
        }
        var isFloat = false
        if i < body.count, body[i] == UInt8(ascii: ".") {
            isFloat = true
            i += 1
            let fraction = run()
            guard !fraction.isEmpty else { throw bad("a decimal point must be followed by digits") }
            try checkUnderscores(fraction, isDigit: isDigit, bad)
        }
        if i < body.count, body[i] == UInt8(ascii: "e") || body[i] == UInt8(ascii: "E") {
            isFloat = true
            i += 1
            if i < body.count, body[i] == UInt8(ascii: "+") || body[i] == UInt8(ascii: "-") { i += 1 }
            let exponent = run()
            guard !exponent.isEmpty else { throw bad("an exponent needs digits") }
            try checkUnderscores(exponent, isDigit: isDigit, bad)
        }
        guard i == body.count else {
            throw bad("'\(Character(Unicode.Scalar(body[i])))' cannot appear there")
        }
        let clean = token.filter { $0 != UInt8(ascii: "_") }
        if isFloat {
            // The grammar is checked above, so the standard library's reading only converts.
            guard let d = Double(String(decoding: clean, as: UTF8.self)) else { throw bad("not a number") }
            return .float(d)
        }
        var value: Int64 = 0
        for d in clean.drop(while: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }) {
            guard isDigit(d) else { throw bad("'\(Character(Unicode.Scalar(d)))' is not a digit") }
            // Built negative so that -9223372036854775808 fits.
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(d - 0x30))
                                   : m.addingReportingOverflow(Int64(d - 0x30))
            guard !o1, !o2 else { throw bad("it does not fit a 64-bit signed integer") }
            value = s
        }
        return .integer(value)
    }

    /// Every underscore has a digit on each side; there is at least one digit.
    func checkUnderscores(_ digits: some Collection<UInt8>, isDigit: (UInt8) -> Bool,
                          _ bad: (String) -> TOMLSyntaxError) throws(TOMLSyntaxError) {
        guard !digits.isEmpty else { throw bad("digits are missing") }
        var previousWasDigit = false
        for d in digits {
            if d == UInt8(ascii: "_") {
                guard previousWasDigit else { throw bad("an underscore must sit between two digits") }
                previousWasDigit = false
            } else {
                previousWasDigit = isDigit(d)
            }
        }
        guard previousWasDigit else { throw bad("an underscore must sit between two digits") }
    }
}

func isNumberByte(_ b: UInt8) -> Bool {
    isBareKeyByte(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
}

func radix(of b: UInt8) -> Int? {
    switch b {
    case UInt8(ascii: "x"): 16
    case UInt8(ascii: "o"): 8
    case UInt8(ascii: "b"): 2
    default: nil
    }
}

func digitValue(_ b: UInt8, radix: Int) -> Int? {
    guard isHexDigit(b) else { return nil }
    let v = Int(hexValue(b))
    return v < radix ? v : nil
}
