import FlightMath
import Guidance
import RealModule

/// Walks a `MissionPlan` in mission mode: gives the `NavigationCommand` for the current item and moves on when
/// guidance reports it done. Pure: time and guidance progress are injected, and a step allocates nothing (the
/// items' local positions are computed once, at init).
///
/// - launch: wings level on the launch heading up to the item's altitude;
/// - waypoint: the straight leg from the previous point — the climb-out point after the launch, the previous
///   waypoint, or where the vehicle left the previous orbit — to the waypoint. The acceptance radius is widened
///   to the turn-anticipation distance R·tan(Δχ/2) when the next item is a waypoint, so the turn at the roll
///   limit joins the next leg instead of overshooting it;
/// - loiter: the orbit until its exit condition (never for an unlimited one);
/// - rtl: return to launch at the RTL height; the mission ends there.
///
/// When the last item is done (and it is not an RTL) the vehicle holds an orbit over the last point.
public struct PlanSequencer: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Height above home of the return-to-launch leg and orbit.
        public var rtlHeightM: Double
        /// Radius of the hold orbit after the last item.
        public var holdRadiusM: Double
        /// Turn radius used for turn anticipation between legs (cruise ground speed at the roll limit).
        public var turnRadiusM: Double

        public init(rtlHeightM: Double = 60, holdRadiusM: Double = 80, turnRadiusM: Double = 40) {
            self.rtlHeightM = rtlHeightM; self.holdRadiusM = holdRadiusM; self.turnRadiusM = turnRadiusM
        }
    }

    /// What one sequencer step produced.
    public struct Step: Sendable, Equatable {
        public var command: NavigationCommand
        /// The plan item completed in this step, if any.
        public var reachedItem: Int?
    }

    /// Turns sharper than this are anticipated as if they were this sharp (near 180° the lead runs off).
    static let maxAnticipatedTurnRad = Angle.radians(fromDegrees: 120)

    public let plan: MissionPlan
    public let settings: Settings
    /// Each item's point in the local NED frame of home (zero for items without one).
    private let pointsNEDM: [Vector3]
    public private(set) var currentIndex = 0
    /// True once the last item is done (holding, or at home after an RTL item).
    public private(set) var isComplete = false
    public private(set) var command = NavigationCommand.none
    /// Time of the last item completion, µs.
    public private(set) var lastReachedAtUs: UInt64?
    private var legStartNEDM = Vector3.zero
    private var launchHeadingRad = 0.0

    public init(plan: MissionPlan, settings: Settings = Settings()) {
        self.plan = plan
        self.settings = settings
        let frame = LocalFrame(origin: plan.home)
        pointsNEDM = plan.items.map { $0.position?.ned(in: frame) ?? .zero }
    }

    /// Starts the plan at its first item, at the launch, from `positionNEDM` on `launchHeadingRad`.
    public mutating func start(launchHeadingRad heading: Double, positionNEDM: Vector3) -> NavigationCommand {
        launchHeadingRad = heading.isFinite ? heading : 0
        isComplete = false
        enter(item: 0, legStartNEDM: positionNEDM)
        return command
    }

    /// Continues the plan at item `index` (after a hold or a wave-off), the leg starting where the vehicle is.
    public mutating func resume(atItem index: Int, positionNEDM: Vector3) -> NavigationCommand {
        isComplete = false
        enter(item: min(max(index, 0), plan.items.count), legStartNEDM: positionNEDM)
        return command
    }

    /// One mission-mode step: moves to the next item when `progress` says the current one is done.
    public mutating func update(progress: GuidanceProgress, nowUs: UInt64) -> Step {
        guard !isComplete, progress.itemIndex == currentIndex, progress.itemReached else {
            return Step(command: command, reachedItem: nil)
        }
        let reached = currentIndex
        lastReachedAtUs = nowUs
        let start: Vector3
        switch plan.items[reached] {
        case .waypoint: start = pointsNEDM[reached]
        default: start = progress.positionNEDM
        }
        enter(item: reached + 1, legStartNEDM: start)
        return Step(command: command, reachedItem: reached)
    }

    private mutating func enter(item index: Int, legStartNEDM start: Vector3) {
        currentIndex = index
        legStartNEDM = start
        guard index < plan.items.count else {
            isComplete = true
            command = holdCommand(afterItem: index - 1, positionNEDM: start)
            return
        }
        switch plan.items[index] {
        case .launch(let altitudeM):
            command = .launch(headingRad: launchHeadingRad, climbToHeightM: altitudeM)
        case .waypoint(_, let acceptanceRadiusM):
            let to = pointsNEDM[index]
            var next: Vector3?
            if index + 1 < plan.items.count, case .waypoint = plan.items[index + 1] { next = pointsNEDM[index + 1] }
            command = .waypoint(itemIndex: index, fromNEDM: start, toNEDM: to,
                                acceptanceRadiusM: max(acceptanceRadiusM, anticipation(at: index, from: start)),
                                nextNEDM: next)
        case .loiter(_, let radiusM, let direction, let exit):
            command = .loiter(itemIndex: index, orbit: LoiterOrbit(centerNEDM: pointsNEDM[index], radiusM: radiusM,
                                                                   direction: direction, exit: exit))
        case .returnToLaunch:
            isComplete = true
            command = .returnToLaunch(homeNEDM: .zero, heightM: settings.rtlHeightM)
        }
    }

    /// Distance before waypoint `index` at which a turn at the configured radius joins the leg after it.
    private func anticipation(at index: Int, from start: Vector3) -> Double {
        guard index + 1 < plan.items.count, case .waypoint = plan.items[index + 1] else { return 0 }
        let corner = pointsNEDM[index], next = pointsNEDM[index + 1]
        let inN = corner.x - start.x, inE = corner.y - start.y
        let outN = next.x - corner.x, outE = next.y - corner.y
        let inLength = (inN * inN + inE * inE).squareRoot(), outLength = (outN * outN + outE * outE).squareRoot()
        guard inLength > 1, outLength > 1, settings.turnRadiusM.isFinite, settings.turnRadiusM > 0 else { return 0 }
        let change = abs(Double.atan2(y: inN * outE - inE * outN, x: inN * outN + inE * outE))
        let lead = settings.turnRadiusM * Double.tan(min(change, Self.maxAnticipatedTurnRad) / 2)
        // Never more than half of either leg, so a short leg is still flown.
        return min(lead, inLength / 2, outLength / 2)
    }

    /// Orbit over the last item's point (or where the vehicle is, after an item without one).
    private func holdCommand(afterItem last: Int, positionNEDM: Vector3) -> NavigationCommand {
        var center = positionNEDM
        if last >= 0, last < plan.items.count, plan.items[last].position != nil { center = pointsNEDM[last] }
        return .loiter(itemIndex: -1, orbit: LoiterOrbit(centerNEDM: center, radiusM: settings.holdRadiusM))
    }
}
