/// MAVLink parameter names (at most 16 characters) for airframe-file keys, derived by rule so that a new key in a
/// decoder becomes a parameter without anyone keeping a list: a short prefix for the table, then the key's words
/// abbreviated, its unit suffix dropped (the unit is the file's, shown by `kestrel` and in the parameter file).
/// `AirframeParameters` refuses to start if two keys ever map to the same name.
enum ParameterNaming {
    static let tablePrefixes: [String: String] = [
        "control.airspeed": "ASPD", "control.attitude": "ATT", "control.rates": "RATE", "control.tecs": "TECS",
        "control.mixer": "MIX", "guidance": "NAV", "estimation": "EKF", "flight": "FLT",
    ]

    /// Trailing words that only give the unit.
    static let unitWords: Set<String> = [
        "s", "m", "mps", "mps2", "deg", "dps", "rad", "radps", "hz", "rthz", "rts", "gauss", "per", "pct", "frd",
    ]

    static let abbreviations: [String: String] = [
        "acceleration": "ACC", "accel": "ACC", "accuracy": "AC", "airspeed": "ASPD", "alignment": "ALN",
        "altitude": "ALT", "approach": "APR", "attitude": "A", "after": "AFT", "acceptance": "ACPT",
        "bias": "B", "climb": "CLMB", "constant": "TC", "coord": "CRD", "cruise": "CRZ", "damper": "DMP",
        "damping": "DAMP", "dead": "DEAD", "declination": "DECL", "degraded": "DEGR", "density": "DENS",
        "detect": "DET", "deviation": "DV", "duration": "DUR", "elevon": "ELV", "fail": "FAIL", "field": "FLD",
        "filter": "FLT", "fusion": "FUS", "gain": "G", "gap": "GAP", "gate": "G", "gps": "GPS", "gyro": "GYR",
        "height": "HGT", "hold": "HOLD", "horizon": "HRZN", "horizontal": "H", "imax": "IMAX", "imu": "IMU",
        "initial": "INI", "latency": "LAT", "launch": "LNCH", "launcher": "LNCHR", "headwind": "HWND", "magnetometer": "MAG", "mag": "MAG", "margin": "MRG",
        "max": "MAX", "min": "MIN", "noise": "N", "npfg": "NPFG", "period": "PER", "pitch": "PTCH",
        "position": "P", "radius": "RAD", "rate": "R", "reckoning": "RCK", "rejected": "REJ", "rejection": "REJ",
        "reset": "RST", "roll": "RLL", "rtl": "RTL", "satellites": "SAT", "sigma": "SG", "sink": "SINK",
        "speed": "SPD", "stationary": "STAT", "tilt": "TILT", "time": "T", "timeout": "TOUT", "throttle": "THR",
        "trim": "TRIM", "turn": "TRN", "up": "U", "down": "D",
        "align": "AL", "limit": "LIM", "heading": "HDG", "capture": "CAP", "track": "TRK", "error": "ERR",
        "bound": "BND", "hard": "H", "iron": "IRON", "offset": "OFS", "omega": "W", "drift": "DRFT", "correlation": "CORR", "anticipation": "ANT", "underspeed": "USPD", "ground": "G", "unaligned": "UNAL", "use": "USE", "valid": "OK", "velocity": "V",
        "vertical": "VER", "walk": "WLK", "washout": "WASH", "wind": "WIND", "yaw": "YAW", "tc": "TC",
    ]

    enum Outcome: Equatable { case name(String), notAParameterTable, tooLong(String) }

    /// The name of the key at `path`; tables without a prefix (board files, scenario sections) hold no
    /// parameters.
    static func name(for path: [String], element: Int? = nil) -> Outcome {
        guard path.count >= 2, let key = path.last,
              let prefix = tablePrefixes[path.dropLast().joined(separator: ".")] else { return .notAParameterTable }
        var words = key.split(separator: "_").map(String.init)
        while words.count > 1, let last = words.last, unitWords.contains(last) { words.removeLast() }
        let short = words.map { abbreviations[$0] ?? $0.uppercased() }
        // Components of a vector: _X, _Y, _Z (body FRD or NED, as the key says).
        let suffix = element.map { "_" + (["X", "Y", "Z"].indices.contains($0) ? ["X", "Y", "Z"][$0] : "\($0)") } ?? ""
        var name = prefix + "_" + short.joined(separator: "_") + suffix
        if name.count > 16 { name = prefix + "_" + short.joined() + suffix }
        return name.count <= 16 ? .name(name) : .tooLong(name)
    }
}
