import Board

extension BoardCheckReport {
    /// What the GPS receiver's start-up set-up found and left it at, for the line under the GPS device: the speed it
    /// answered at, its firmware and generation, and the NAV-PVT rate measured from the receiver's own time stamps.
    static func gpsReceiverLine(_ devices: BoardDevices) -> String? {
        if let setup = devices.gpsSetup { return "receiver: " + setup.summary }
        if !devices.board.gps.configure, devices.gpsPort != nil {
            return "receiver: not configured at start ([gps] configure = false), read as "
                + devices.board.gps.protocolKind.rawValue.uppercased()
        }
        return nil
    }
}
