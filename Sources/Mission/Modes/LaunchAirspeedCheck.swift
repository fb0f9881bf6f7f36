/// The airspeed the vehicle will have when it leaves the launcher: the launcher's own speed plus the wind along the
/// rail. A pitot on the rail cannot tell a tailwind from calm (it reads no negative dynamic pressure), so the wind is
/// the launch crew's: they measure it and set it before arming (`[flight] launch_headwind_mps`, FLT_LNCH_HWND).
/// Checked at arming: a launch downwind leaves the rail below the speed the wing flies at and ends on the ground.
public struct LaunchAirspeedCheck: Sendable, Equatable {
    /// Speed over the ground at the end of the rail in still air (a catapult's, or a hand launch's throw).
    public var launcherSpeedMps: Double
    /// The wind's component along the rail, positive blowing from ahead (a headwind), negative from behind.
    public var headwindMps: Double
    /// The lowest airspeed the vehicle may fly at (the airspeed controller's minimum, which holds the stall margin).
    public var minimumAirspeedMps: Double

    public init(launcherSpeedMps: Double, headwindMps: Double, minimumAirspeedMps: Double) {
        self.launcherSpeedMps = launcherSpeedMps; self.headwindMps = headwindMps
        self.minimumAirspeedMps = minimumAirspeedMps
    }

    /// Airspeed off the rail, m/s.
    public var airspeedOffRailMps: Double { launcherSpeedMps + headwindMps }

    /// True when the airspeed off the rail reaches the minimum; false for any non-finite input.
    public var isSafe: Bool { airspeedOffRailMps >= minimumAirspeedMps }

    /// The wind along the rail (from behind: negative) at which a launch is still allowed.
    public var largestTailwindMps: Double { launcherSpeedMps - minimumAirspeedMps }
}
