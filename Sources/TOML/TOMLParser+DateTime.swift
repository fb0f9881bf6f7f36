extension TOMLParser {
    /// `YYYY-MM-DD`, optionally followed by `T`, `t` or a space and a time, and then optionally by `Z` or an offset.
    mutating func dateOrDateTime() throws(TOMLSyntaxError) -> TOMLValue {
        let start = index
        let year = try digits(4, "a date is written YYYY-MM-DD")
        try expect(UInt8(ascii: "-"), "a date is written YYYY-MM-DD")
        let month = try digits(2, "a date is written YYYY-MM-DD")
        try expect(UInt8(ascii: "-"), "a date is written YYYY-MM-DD")
        let day = try digits(2, "a date is written YYYY-MM-DD")
        guard (1...12).contains(month) else { throw error("month \(month) does not exist", at: start) }
        guard (1...daysIn(month: month, year: year)).contains(day) else {
            throw error("day \(day) does not exist in \(pad(year, 4))-\(pad(month, 2))", at: start)
        }
        let date = TOMLDate(year: year, month: month, day: day)

        switch peek() {
        case UInt8(ascii: "T"), UInt8(ascii: "t"):
            index += 1
            guard isDigit(peek()) else { throw error("a date-time needs a time (HH:MM:SS) after its 'T'") }
        case UInt8(ascii: " ") where isDigit(peek(1)):
            // Nothing else may follow a value on its line, so a digit after the space must begin the time.
            index += 1
            guard isDigit(peek(1)), peek(2) == UInt8(ascii: ":") else {
                throw error("a date and a time separated by a space read 'YYYY-MM-DD HH:MM:SS'")
            }
        default:
            return .localDate(date)
        }
        let time = try time()
        switch peek() {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
            return .offsetDateTime(date, time, offsetMinutes: 0)
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let offsetStart = index
            let sign = peek() == UInt8(ascii: "-") ? -1 : 1
            index += 1
            let hours = try digits(2, "an offset is written +HH:MM or -HH:MM")
            try expect(UInt8(ascii: ":"), "an offset is written +HH:MM or -HH:MM")
            let minutes = try digits(2, "an offset is written +HH:MM or -HH:MM")
            guard hours <= 23, minutes <= 59 else {
                throw error("offset \(pad(hours, 2)):\(pad(minutes, 2)) is out of range", at: offsetStart)
            }
            return .offsetDateTime(date, time, offsetMinutes: sign * (hours * 60 + minutes))
        default:
            return .localDateTime(date, time)
        }
    }

    /// `HH:MM:SS` with an optional fraction of any length (kept to nanoseconds).
    mutating func time() throws(TOMLSyntaxError) -> TOMLTime {
        let start = index
        let hour = try digits(2, "a time is written HH:MM:SS")
        try expect(UInt8(ascii: ":"), "a time is written HH:MM:SS")
        let minute = try digits(2, "a time is written HH:MM:SS")
        try expect(UInt8(ascii: ":"), "a time needs seconds (HH:MM:SS)")
        let second = try digits(2, "a time is written HH:MM:SS")
        // RFC 3339 allows second 60 on a leap second; no configuration needs one, and tomllib refuses it too.
        guard hour <= 23, minute <= 59, second <= 59 else {
            throw error("time \(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)) is out of range", at: start)
        }
        var nanosecond = 0
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard isDigit(peek()) else { throw error("a decimal point in a time must be followed by digits") }
            var scale = 100_000_000
            while isDigit(peek()) {
                nanosecond += Int(peek() - 0x30) * scale
                scale /= 10
                index += 1
            }
        }
        return TOMLTime(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
    }

    mutating func digits(_ count: Int, _ format: String) throws(TOMLSyntaxError) -> Int {
        var value = 0
        for _ in 0..<count {
            guard isDigit(peek()) else { throw error("\(format), found \(describeHere())") }
            value = value * 10 + Int(peek() - 0x30)
            index += 1
        }
        return value
    }

    mutating func expect(_ b: UInt8, _ format: String) throws(TOMLSyntaxError) {
        guard peek() == b else { throw error("\(format), found \(describeHere())") }
        index += 1
    }
}

func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}
