import CGPIOLine

/// The libgpiod this binary runs on, for logs and `kestrel check-board`.
public enum GPIOLibrary {
    /// The libgpiod API the build compiled against: 1 (libgpiod 1.x, Debian 12) or 2 (libgpiod 2.x, Debian 13).
    public static var apiMajor: Int { Int(kestrel_gpio_api_major()) }
    /// The loaded library's version, e.g. "1.6.3" or "2.2.1".
    public static var version: String { String(cString: kestrel_gpio_library_version()) }
    /// "libgpiod 2.2.1 (v2 API)".
    public static var description: String { "libgpiod \(version) (v\(apiMajor) API)" }
}
