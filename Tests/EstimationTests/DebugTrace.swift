import Estimation
import FlightMath
import Testing

@Suite struct DebugTrace {
    @Test func trace() {
        var run = FlightRun()
        run.durationS = 120
        func f(_ x: Double) -> Double { (Angle.degrees(fromRadians: x) * 100).rounded() / 100 }
        let (errors, _) = run.run { step, filter in
            let k = Int((step.timeS * 400).rounded())
            guard (k % 400 == 0 && step.timeS < 30) || k % 8000 == 0 else { return }
            let s = filter.state
            let h = filter.health
            let p = s.positionNEDM
            print("t=\(Int(step.timeS*10)) ph=\(s.phase) eul=\(f(s.euler.rollRad-step.truthEuler.rollRad)),\(f(s.euler.pitchRad-step.truthEuler.pitchRad)),\(f(Angle.wrapPi(s.euler.yawRad-step.truthEuler.yawRad))) dv=\(s.velocityNEDMps-step.truthVelocityNEDMps) dp=\(s.positionNEDM-step.truthPositionNEDM) gps=\(h.gps.condition) tr=\(h.gps.innovation.testRatio),\(h.gps.secondaryInnovation.testRatio) baro=\(h.baro.condition) mag=\(h.mag.condition) \(h.mag.innovation.testRatio) as=\(h.airspeed.condition) valid=\(h.attitudeValid)\(h.velocityValid)\(h.positionValid) dbg=\(s.gyroBiasFRDRadps-step.truthGyroBiasRadps) dba=\(s.accelBiasFRDMps2-step.truthAccelBiasMps2) w=\(s.windNEDMps)")
            _ = ("t=\(step.timeS) phase=\(s.phase) eul=\(Angle.degrees(fromRadians: s.euler.rollRad)),\(Angle.degrees(fromRadians: s.euler.pitchRad)),\(Angle.degrees(fromRadians: s.euler.yawRad)) truth=\(Angle.degrees(fromRadians: step.truthEuler.rollRad)),\(Angle.degrees(fromRadians: step.truthEuler.pitchRad)),\(Angle.degrees(fromRadians: step.truthEuler.yawRad)) v=\(s.velocityNEDMps) tv=\(step.truthVelocityNEDMps) p=\(p) tp=\(step.truthPositionNEDM) gps=\(h.gps.condition) tr=\(h.gps.innovation.testRatio),\(h.gps.secondaryInnovation.testRatio) baro=\(h.baro.condition) mag=\(h.mag.condition) \(h.mag.innovation.testRatio) as=\(h.airspeed.condition) valid=\(h.attitudeValid)\(h.velocityValid)\(h.positionValid) bg=\(s.gyroBiasFRDRadps) tbg=\(step.truthGyroBiasRadps) ba=\(s.accelBiasFRDMps2) tba=\(step.truthAccelBiasMps2) w=\(s.windNEDMps)")
        }
        print(errors.summary)
    }
}
