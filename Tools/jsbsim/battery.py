"""The LiPo pack and the motor's electrical power (Sources/Simulation/Propulsion/BatteryModel.swift and
PropulsionModel.swift's momentum-theory power), so that thrust sags with the pack's voltage as in Kestrel's plant."""
import math

CELL_FULL_V = 4.2
# (state of charge, cell volts) of a typical LiPo discharge curve.
CURVE = ((0.0, 3.27), (0.05, 3.50), (0.10, 3.61), (0.20, 3.69), (0.30, 3.74), (0.40, 3.78), (0.50, 3.82),
         (0.60, 3.87), (0.70, 3.93), (0.80, 4.00), (0.90, 4.08), (1.0, 4.20))


def cell_open_circuit_v(soc):
    s = min(max(soc, 0.0), 1.0)
    i = 1
    while i < len(CURVE) - 1 and CURVE[i][0] < s:
        i += 1
    (s0, v0), (s1, v1) = CURVE[i - 1], CURVE[i]
    return v0 + (v1 - v0) * (s - s0) / (s1 - s0)


def electrical_power_w(propulsion, thrust_n, axial_airspeed_mps, density_kgpm3):
    """Shaft power T·(V + v_induced)/FM over the motor efficiency."""
    if thrust_n <= 0:
        return 0.0
    disk_m2 = math.pi * propulsion["prop_diameter_m"] ** 2 / 4
    half_v = max(0.0, axial_airspeed_mps) / 2
    induced = -half_v + math.sqrt(half_v * half_v + thrust_n / (2 * density_kgpm3 * disk_m2))
    shaft_w = thrust_n * (2 * half_v + induced) / propulsion["prop_figure_of_merit"]
    return shaft_w / propulsion["motor_efficiency"]


class Battery:
    def __init__(self, section):
        self.cells = int(section["cells"])
        self.resistance_ohm = section["internal_resistance_ohm"]
        self.avionics_a = section["avionics_current_a"]
        self.capacity_mah = section["capacity_mah"]
        self.state_of_charge = 1.0
        self.current_a = 0.0
        self.voltage_v = self.open_circuit_v

    @property
    def open_circuit_v(self):
        return self.cells * cell_open_circuit_v(self.state_of_charge)

    @property
    def voltage_ratio(self):
        return self.voltage_v / (self.cells * CELL_FULL_V)

    def draw(self, load_w, dt_s):
        """The current solves P = (E − I·R)·I; past the pack's maximum power it is held at E/2R."""
        e, r = self.open_circuit_v, self.resistance_ohm
        discriminant = e * e - 4 * r * max(0.0, load_w)
        motor_a = (e - math.sqrt(discriminant)) / (2 * r) if discriminant > 0 else e / (2 * r)
        self.current_a = motor_a + self.avionics_a
        self.voltage_v = max(0.0, e - self.current_a * r)
        used_mah = self.current_a * dt_s / 3.6
        self.state_of_charge = max(0.0, self.state_of_charge - used_mah / self.capacity_mah)
