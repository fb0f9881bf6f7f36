import Testing
@testable import MAVLink

@Suite struct ParameterServiceTests {
    let identity = LinkIdentity(systemID: 1, componentID: 1)
    let gcs = GCSPeer(systemID: 255, componentID: 190, link: 2)

    @Test func listIsPacedByTheRateBudget() {
        var service = ParameterService(identity: identity, valuesPerSecond: 20)
        let model = FakeVehicle()
        model.parameters = (0..<10).map { LinkParameter(id: ParameterID("P\($0)")!, value: Double($0), type: .real32) }
        var outbox = RecordingOutbox()
        service.handle(ParamRequestList(targetSystem: 1, targetComponent: 1), from: gcs, nowUs: 1_000_000)
        service.tick(nowUs: 1_000_000, model: model, outbox: &outbox)
        #expect(outbox.sent.count == 1)  // one at once
        service.tick(nowUs: 1_050_000, model: model, outbox: &outbox)
        #expect(outbox.sent.count == 2)  // 20/s: one per 50 ms
        service.tick(nowUs: 1_150_000, model: model, outbox: &outbox)
        #expect(outbox.sent.count == 4)
        // Ticks every 10 ms: one value per 50 ms, so the remaining six take 300 ms.
        var now: UInt64 = 1_150_000
        var finishedUs: UInt64?
        while now < 3_000_000, finishedUs == nil {
            now += 10_000
            service.tick(nowUs: now, model: model, outbox: &outbox)
            if outbox.sent.count == 10 { finishedUs = now }
        }
        #expect(finishedUs == 1_450_000)
        let values = outbox.messages(ParamValue.self)
        #expect(values.map(\.paramIndex) == Array(0..<10))
        #expect(values.allSatisfy { $0.paramCount == 10 })
        #expect(values.map(\.paramValue) == (0..<10).map(Float.init))
        #expect(outbox.sent.allSatisfy { $0.route == .link(2) })
        #expect(!service.isListing)
    }

    @Test func readByNameAndByIndex() {
        var service = ParameterService(identity: identity)
        let model = FakeVehicle()
        var outbox = RecordingOutbox()
        service.handle(ParamRequestRead(targetSystem: 1, targetComponent: 1, paramId: MAVArray(text: "RTL_ALT_M"),
                                        paramIndex: -1), from: gcs, model: model, outbox: &outbox)
        service.handle(ParamRequestRead(targetSystem: 1, targetComponent: 1, paramIndex: 1), from: gcs, model: model,
                       outbox: &outbox)
        service.handle(ParamRequestRead(targetSystem: 1, targetComponent: 1, paramId: MAVArray(text: "NOPE"),
                                        paramIndex: -1), from: gcs, model: model, outbox: &outbox)
        service.handle(ParamRequestRead(targetSystem: 1, targetComponent: 1, paramIndex: 3), from: gcs, model: model,
                       outbox: &outbox)
        let values = outbox.messages(ParamValue.self)
        #expect(values.map { $0.paramId.text } == ["RTL_ALT_M", "LINK_LOSS_S"])
        #expect(values.map(\.paramIndex) == [2, 1])
        #expect(values.map(\.paramType) == [.real32, .real32])  // integers too
        #expect(service.counters.unknownParameters == 2)
    }

    @Test func setIsBroadcastWhenAcceptedAndEchoedUnchangedWhenRefused() {
        var service = ParameterService(identity: identity)
        let model = FakeVehicle()
        var outbox = RecordingOutbox()
        service.handle(ParamSet(targetSystem: 1, targetComponent: 1, paramId: MAVArray(text: "AIRSPD_TRIM"),
                                paramValue: 17.5, paramType: .real32), from: gcs, model: model, outbox: &outbox)
        #expect(model.parameters[0].value == 17.5)
        #expect(outbox.sent.last?.route == .all)
        #expect(outbox.messages(ParamValue.self).last?.paramValue == 17.5)
        outbox.clear()
        // Not an integer for an INT32 parameter.
        service.handle(ParamSet(targetSystem: 1, targetComponent: 1, paramId: MAVArray(text: "LINK_LOSS_S"),
                                paramValue: 2.5, paramType: .int32), from: gcs, model: model, outbox: &outbox)
        // Refused by the model.
        service.handle(ParamSet(targetSystem: 1, targetComponent: 1, paramId: MAVArray(text: "RTL_ALT_M"),
                                paramValue: 5000, paramType: .real32), from: gcs, model: model, outbox: &outbox)
        #expect(model.parameters[1].value == 10 && model.parameters[2].value == 120)
        #expect(outbox.messages(ParamValue.self).map(\.paramValue) == [10, 120])
        #expect(outbox.messages(Statustext.self).map { $0.text.text } == [
            "LINK_LOSS_S: 2.5 is not an integer", "RTL_ALT_M: above 1000",
        ])
        #expect(outbox.sent.allSatisfy { $0.route == .link(2) })
        #expect(service.counters.setsRefused == 2 && service.counters.setsAccepted == 1)
    }

    @Test func wireValuesAreCheckedAgainstTheParameterType() {
        func value(_ v: Float, _ t: MAVParamType) -> Double? { try? ParameterService.decode(wireValue: v, as: t).get() }
        #expect(value(255, .uint8) == 255)
        #expect(value(256, .uint8) == nil)
        #expect(value(-1, .uint16) == nil)
        #expect(value(-32768, .int16) == -32768)
        #expect(value(1.5, .int32) == nil)
        #expect(value(.nan, .real32) == nil)
        #expect(value(3.25, .real32) == 3.25)
        #expect(value(1, .int64) == nil)  // not settable through a float
    }

    @Test func parameterIDsCompareByName() {
        let a = ParameterID(bytes: MAVArray([0x41, 0x42, 0, 0x43]))  // "AB" then garbage after the NUL
        #expect(a == ParameterID("AB"))
        #expect(ParameterID("SEVENTEEN_LETTERS") == nil)
        #expect(ParameterID("HAS SPACE") == nil)
        #expect(ParameterID("SIXTEEN_LETTERS_")?.description == "SIXTEEN_LETTERS_")
    }
}
