/// One TOML value. Integers and floats stay distinct (`2` is not `2.0`), and the four date-time forms keep what
/// the text said: a local date-time has no offset, a local date no time.
public enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case offsetDateTime(TOMLDate, TOMLTime, offsetMinutes: Int)
    case localDateTime(TOMLDate, TOMLTime)
    case localDate(TOMLDate)
    case localTime(TOMLTime)
    case array([TOMLValue])
    case table(TOMLTable)

    public var string: String? { if case .string(let v) = self { v } else { nil } }
    public var integer: Int64? { if case .integer(let v) = self { v } else { nil } }
    public var float: Double? { if case .float(let v) = self { v } else { nil } }
    public var boolean: Bool? { if case .boolean(let v) = self { v } else { nil } }
    public var array: [TOMLValue]? { if case .array(let v) = self { v } else { nil } }
    public var table: TOMLTable? { if case .table(let v) = self { v } else { nil } }

    /// The kind as toml-test names it ("string", "integer", "float", "bool", "datetime", "datetime-local",
    /// "date-local", "time-local", "array", "table"): for messages and the differential test's dump.
    public var kindName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "bool"
        case .offsetDateTime: "datetime"
        case .localDateTime: "datetime-local"
        case .localDate: "date-local"
        case .localTime: "time-local"
        case .array: "array"
        case .table: "table"
        }
    }
}

/// A calendar date as written (`1979-05-27`), already checked to exist (month 1–12, day within the month).
public struct TOMLDate: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public var description: String { pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) }
}

/// A time of day (`07:32:00.999999`). Digits of the fraction past nanoseconds are dropped (the spec asks for
/// truncation, not rounding).
public struct TOMLTime: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var nanosecond: Int

    public init(hour: Int, minute: Int, second: Int, nanosecond: Int = 0) {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
    }

    /// `HH:MM:SS`, then the fraction without trailing zeros when there is one.
    public var description: String {
        var s = pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if nanosecond > 0 {
            var digits = pad(nanosecond, 9)
            while digits.last == "0" { digits.removeLast() }
            s += "." + digits
        }
        return s
    }
}

func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
