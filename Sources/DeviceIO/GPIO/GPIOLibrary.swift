import CGPIOLine

/// The libgpiod this process runs on, for logs and `kestrel check-board`. It is loaded at run time on first use
/// (libgpiod.so.3, then libgpiod.so.2; `KESTREL_LIBGPIOD` names another file), so one binary runs on Debian 12 and 13.
public enum GPIOLibrary {
    /// The loaded library's API: 1 (libgpiod 1.x, Debian 12) or 2 (libgpiod 2.x, Debian 13); 0 when none loaded.
    public static var apiMajor: Int { Int(kestrel_gpio_api_major()) }
    /// The loaded library's version, e.g. "1.6.3" or "2.2.1"; "none" without one.
    public static var version: String { String(cString: kestrel_gpio_library_version()) }
    /// The file loaded, e.g. "libgpiod.so.3"; "none" without one.
    public static var fileName: String { String(cString: kestrel_gpio_library_name()) }
    /// What could not be loaded, and why; empty when the first candidate loaded.
    public static var loadError: String { String(cString: kestrel_gpio_library_error()) }
    /// "libgpiod 2.2.1 (v2 API, libgpiod.so.3)", or why there is none.
    public static var description: String {
        apiMajor == 0 ? "no libgpiod (\(loadError))" : "libgpiod \(version) (v\(apiMajor) API, \(fileName))"
    }
}
