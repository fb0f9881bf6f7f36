import ConfigFiles

/// `[airframe]`: what the file describes.
public struct AirframeInfoSection: Codable, Hashable, Sendable {
    public var name: String
    public var description: String
}

/// The plant's view of an airframe file under `Hardware/airframes/`. Each section is its own struct in its own
/// file; the sections the autopilot reads (`control`, `guidance`, `estimation`, `flight`, `limits`, `outputs`) are
/// left to it, and any other top-level
/// key is an error.
public struct AirframeFile: Codable, Hashable, Sendable {
    public var airframe: AirframeInfoSection
    public var mass: MassSection
    public var geometry: GeometrySection
    public var aerodynamics: AerodynamicsSection
    public var actuators: ActuatorsSection
    public var propulsion: PropulsionSection
    public var battery: BatterySection
    public var groundContact: GroundContactSection
    public var sensors: SensorsSection
    public var launch: LaunchSection

    enum CodingKeys: String, CodingKey {
        case airframe, mass, geometry, aerodynamics, actuators, propulsion, battery
        case groundContact = "ground_contact", sensors, launch
    }

    /// Top-level sections of an airframe file that other readers own.
    public static let sectionsReadElsewhere: Set<String> = ["control", "guidance", "estimation", "flight", "limits", "outputs"]

    public static func load(fromFile path: String) throws(ConfigFileError) -> AirframeFile {
        try ConfigFile.load(AirframeFile.self, fromFile: path, sectionsReadElsewhere: sectionsReadElsewhere)
    }

    public static func decode(fromTOML text: String, source: String) throws(ConfigFileError) -> AirframeFile {
        try ConfigFile.decode(AirframeFile.self, fromTOML: text, source: source,
                              sectionsReadElsewhere: sectionsReadElsewhere)
    }

    /// Channel of the surface with `function`, if the airframe has one.
    public func channel(of function: SurfaceFunction) -> Int? {
        actuators.surfaces.firstIndex { $0.function == function }
    }
}
