/// The MISSION_ITEM_INT fields of one uploaded item exactly as the ground station sent them: frame, command,
/// params 1–4, x, y, z and autocontinue. What addresses the message (target, sequence, the current flag, the
/// mission type) is not part of the item and is not kept.
///
/// A download serves these, so a ground station gets back field by field what it uploaded, whatever the vehicle
/// makes of them when it flies the item (a default acceptance or loiter radius for 0 or NaN, the launch point for a
/// takeoff at 0/0, a yaw it does not use). Floats compare by bit pattern: a NaN sent is a NaN kept.
public struct UploadedMissionFields: Equatable, Sendable {
    public var frame: MAVFrame
    public var command: MAVCmd
    public var param1: Float
    public var param2: Float
    public var param3: Float
    public var param4: Float
    public var x: Int32
    public var y: Int32
    public var z: Float
    public var autocontinue: UInt8

    public init(_ message: MissionItemInt) {
        frame = message.frame
        command = message.command
        param1 = message.param1
        param2 = message.param2
        param3 = message.param3
        param4 = message.param4
        x = message.x
        y = message.y
        z = message.z
        autocontinue = message.autocontinue
    }

    /// The item as MISSION_ITEM_INT number `seq` of a download, addressed to `target`.
    public func message(seq: UInt16, current: Bool, targetSystem: UInt8, targetComponent: UInt8) -> MissionItemInt {
        MissionItemInt(
            targetSystem: targetSystem, targetComponent: targetComponent, seq: seq, frame: frame, command: command,
            current: current ? 1 : 0, autocontinue: autocontinue, param1: param1, param2: param2, param3: param3,
            param4: param4, x: x, y: y, z: z, missionType: .mission)
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.frame == b.frame && a.command == b.command && a.param1.bitPattern == b.param1.bitPattern
            && a.param2.bitPattern == b.param2.bitPattern && a.param3.bitPattern == b.param3.bitPattern
            && a.param4.bitPattern == b.param4.bitPattern && a.x == b.x && a.y == b.y
            && a.z.bitPattern == b.z.bitPattern && a.autocontinue == b.autocontinue
    }
}
