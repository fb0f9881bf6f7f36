"""The simulator's end of the HIL link: a UDP endpoint written as Kestrel writes them (udpout:HOST:PORT sends to the
board, which answers to the sender; udpin:HOST:PORT listens and answers whoever spoke last) carrying MAVLink 2
frames of the common dialect (pymavlink), system 250 component 1 like kestrel sim --hil-serve."""
import socket

from pymavlink.dialects.v20 import common as mavlink2

SYSTEM_ID, COMPONENT_ID = 250, 1


class EndpointError(Exception):
    """A malformed or unusable endpoint; the message names it."""


def parse_endpoint(text):
    """("udpin" | "udpout", host, port) of `text`."""
    parts = text.split(":")
    if len(parts) != 3 or parts[0] not in ("udpin", "udpout"):
        raise EndpointError(f"endpoint '{text}': expected udpout:HOST:PORT (or udpin:HOST:PORT)")
    kind, host, port_text = parts
    if not host:
        raise EndpointError(f"endpoint '{text}': the host is empty")
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise EndpointError(f"endpoint '{text}': port must be 1…65535, got '{port_text}'")
    return kind, host, int(port_text)


class HILLink:
    def __init__(self, endpoint_text):
        kind, host, port = parse_endpoint(endpoint_text)
        self.name = endpoint_text
        try:
            address = socket.getaddrinfo(host, port, socket.AF_INET, socket.SOCK_DGRAM)[0][4]
        except socket.gaierror as e:
            raise EndpointError(f"endpoint '{endpoint_text}': cannot resolve '{host}': {e.strerror}") from None
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            if kind == "udpin":
                self.sock.bind(address)
                self.peer = None
            else:
                self.sock.bind(("0.0.0.0", 0))
                self.peer = address
        except OSError as e:
            self.sock.close()
            raise EndpointError(f"endpoint '{endpoint_text}': {e.strerror}") from None
        self.sock.setblocking(False)
        self.mav = mavlink2.MAVLink(None, srcSystem=SYSTEM_ID, srcComponent=COMPONENT_ID)
        self.mav.robust_parsing = True
        self.frames_sent = 0
        self.send_errors = 0
        self.bad_datagrams = 0

    def close(self):
        self.sock.close()

    def send(self, message):
        if self.peer is None:
            return
        data = message.pack(self.mav)
        self.mav.seq = (self.mav.seq + 1) % 256
        try:
            self.sock.sendto(data, self.peer)
            self.frames_sent += 1
        except OSError:
            # The board not listening yet (ECONNREFUSED on loopback) or a full buffer: the frame is lost, as on a
            # radio; the next one follows 2.5 ms later.
            self.send_errors += 1

    def receive(self):
        """Every HIL_ACTUATOR_CONTROLS waiting, oldest first."""
        out = []
        while True:
            try:
                data, sender = self.sock.recvfrom(4096)
            except (BlockingIOError, InterruptedError):
                return out
            except OSError:
                return out  # an ICMP error from an earlier send surfaces here; nothing to read
            if self.peer is None:
                self.peer = sender
            messages = self.mav.parse_buffer(data) or []
            for m in messages:
                if m.get_type() == "HIL_ACTUATOR_CONTROLS":
                    out.append(m)
                elif m.get_type() == "BAD_DATA":
                    self.bad_datagrams += 1

    # Encoders of the four messages the simulator sends.
    def hil_sensor(self, **fields):
        return self.mav.hil_sensor_encode(**fields)

    def hil_gps(self, **fields):
        return self.mav.hil_gps_encode(**fields)

    def battery_status(self, **fields):
        return self.mav.battery_status_encode(**fields)

    def hil_state_quaternion(self, **fields):
        return self.mav.hil_state_quaternion_encode(**fields)
