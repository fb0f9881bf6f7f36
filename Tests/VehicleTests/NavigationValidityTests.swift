import Testing
@testable import Vehicle

@Suite struct NavigationValidityTests {
    @Test func aDeliveringIMUPassesTheFiltersVerdictThrough() {
        let v = NavigationValidity(filterAttitudeValid: true, filterPositionValid: false, lastIMUSampleUs: 1_000_000,
                                   nowUs: 1_002_500)
        #expect(v.attitudeValid)
        #expect(!v.positionValid)
    }

    @Test func aSilentIMUInvalidatesAttitudeAndPositionWhateverTheFilterLastSaid() {
        let silent = NavigationValidity(filterAttitudeValid: true, filterPositionValid: true,
                                        lastIMUSampleUs: 1_000_000, nowUs: 1_000_000 + NavigationValidity.imuLostTimeoutUs + 1)
        #expect(!silent.attitudeValid)
        #expect(!silent.positionValid)
        let atTheLimit = NavigationValidity(filterAttitudeValid: true, filterPositionValid: true,
                                            lastIMUSampleUs: 1_000_000, nowUs: 1_000_000 + NavigationValidity.imuLostTimeoutUs)
        #expect(atTheLimit.attitudeValid && atTheLimit.positionValid)
        let never = NavigationValidity(filterAttitudeValid: true, filterPositionValid: true, lastIMUSampleUs: nil,
                                       nowUs: 5)
        #expect(!never.attitudeValid)
    }

    @Test func aLateReadThatTheHealthReportFlagsDoesNotFailTheNavigation() {
        let late = NavigationValidity(filterAttitudeValid: true, filterPositionValid: true, lastIMUSampleUs: 1_000_000,
                                      nowUs: 1_000_000 + 2 * SensorSuite.imuTimeoutUs)
        #expect(late.attitudeValid && late.positionValid)
    }
}
