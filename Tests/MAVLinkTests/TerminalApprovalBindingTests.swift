import Crypto
import Testing
@testable import MAVLink

@Suite struct TerminalApprovalBindingTests {
    let request = TerminalApprovalRequest(
        nonce: MAVArray(Array(0xA0..<0xB0)), vehicleId: 0x0102_0304, lat: 473_977_418, lon: -85_455_939,
        alt: 488_000, expiryTimeUsec: 0x1122_3344_5566_7788, requestSeq: 9)

    @Test func layoutFollowsTheDialectDefinition() {
        let bytes = TerminalApprovalBinding.signedBytes(
            request: request, decision: .approve, targetSystem: 1, targetComponent: 2
        ).elements
        #expect(bytes.count == 74)
        #expect(Array(bytes[0..<27]) == Array("KESTREL-TERMINAL-APPROVAL-1".utf8))
        #expect(Array(bytes[27..<43]) == Array(0xA0..<0xB0))
        #expect(Array(bytes[43..<46]) == [1, 1, 2])
        #expect(Array(bytes[46..<50]) == [0x04, 0x03, 0x02, 0x01])
        #expect(Array(bytes[50..<54]) == [9, 0, 0, 0])
        #expect(Array(bytes[54..<58]) == [0x4A, 0x52, 0x40, 0x1C])  // 473977418 = 0x1C40524A
        #expect(Array(bytes[58..<62]) == [0xBD, 0x0B, 0xE8, 0xFA])  // -85455939 two's complement
        #expect(Array(bytes[62..<66]) == [0x40, 0x72, 0x07, 0x00])
        #expect(Array(bytes[66..<74]) == [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11])
    }

    @Test func ed25519SignatureBindsDecisionAndDesignation() throws {
        let operatorKey = Curve25519.Signing.PrivateKey()
        let approve = TerminalApprovalBinding.signedBytes(
            request: request, decision: .approve, targetSystem: 1, targetComponent: 1
        ).elements
        let signature = try operatorKey.signature(for: approve)
        let message = TerminalApproval(
            targetSystem: 1, targetComponent: 1, nonce: request.nonce, decision: .approve,
            operatorKeyId: TerminalApprovalBinding.operatorKeyID(publicKey: operatorKey.publicKey.rawRepresentation),
            signature: MAVArray(Array(signature)))
        // Through a frame and back, then verified against the vehicle's own record of the request.
        var encoder = FrameEncoder(systemID: 255, componentID: 190)
        let frame = try #require(parseAll(FrameParser(), try encodeFrame(message, with: &encoder)).first)
        let received = try #require(frame.decode(TerminalApproval.self))
        let signed = TerminalApprovalBinding.signedBytes(
            request: request, decision: received.decision, targetSystem: received.targetSystem,
            targetComponent: received.targetComponent)
        #expect(operatorKey.publicKey.isValidSignature(received.signature.elements, for: signed.elements))
        #expect(
            received.operatorKeyId.elements
                == Array(SHA256.hash(data: operatorKey.publicKey.rawRepresentation).prefix(8)))
        // A wave-off, another point, or another vehicle does not verify with the approval's signature.
        let waveOff = TerminalApprovalBinding.signedBytes(
            request: request, decision: .waveOff, targetSystem: 1, targetComponent: 1)
        var moved = request
        moved.lat += 1
        let elsewhere = TerminalApprovalBinding.signedBytes(
            request: moved, decision: .approve, targetSystem: 1, targetComponent: 1)
        let otherVehicle = TerminalApprovalBinding.signedBytes(
            request: request, decision: .approve, targetSystem: 2, targetComponent: 1)
        for bytes in [waveOff, elsewhere, otherVehicle] {
            #expect(!operatorKey.publicKey.isValidSignature(received.signature.elements, for: bytes.elements))
        }
    }
}
