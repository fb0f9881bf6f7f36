"""Kestrel's Dryden turbulence (Sources/Simulation/Wind/DrydenTurbulence.swift), fed to JSBSim as a gust.

JSBSim has a MIL-F-8785C model of its own, but it takes the altitude above sea level for the low-altitude scales:
at the rig's 488 m site that is the 1000–2000 ft blend, with 1450 ft scale lengths and several times Kestrel's
vertical intensity, i.e. updrafts of 1–2 m/s lasting tens of seconds that are nothing like `turbulence = "light"` in
a Kestrel scenario. This is Kestrel's model instead, on the height above the launcher, body-aligned u, v, w."""
import math
import random

KNOT_MPS = 0.514444
FT_M = 0.3048
W20_KT = {"none": 0.0, "light": 15.0, "moderate": 30.0, "severe": 45.0}
SQRT3 = math.sqrt(3.0)


def scales(intensity, height_agl_m):
    """(σu, σv, σw m/s, Lu, Lv, Lw m): low-altitude form below 1000 ft (floored at 10 ft), isotropic above, scales
    growing to 1750 ft at 2000 ft (DrydenScales)."""
    h_ft = max(10.0, height_agl_m / FT_M)
    sigma_w = 0.1 * W20_KT[intensity] * KNOT_MPS
    if h_ft < 1000:
        f = 0.177 + 0.000823 * h_ft
        sigma_u = sigma_w / f ** 0.4
        l_u = h_ft / f ** 1.2 * FT_M
        return sigma_u, sigma_u, sigma_w, l_u, l_u, h_ft * FT_M
    l_m = (1000 + 750 * min(1.0, (h_ft - 1000) / 1000)) * FT_M
    return sigma_w, sigma_w, sigma_w, l_m, l_m, l_m


class DrydenTurbulence:
    def __init__(self, intensity, seed):
        self.intensity = intensity
        self.rng = random.Random((seed << 16) ^ 0x0901)
        self.u = self.v_first = self.v_lag = self.w_first = self.w_lag = 0.0

    def step(self, dt_s, airspeed_mps, height_agl_m):
        """Advances the shaping filters by one step; (u, v, w) in body axes, m/s."""
        if self.intensity == "none":
            return (0.0, 0.0, 0.0)
        su, sv, sw, lu, lv, lw = scales(self.intensity, height_agl_m)
        speed = max(airspeed_mps, 5.0)  # the frozen-field assumption fails at a walking pace; keep it conditioned
        g = self.rng.gauss
        au = math.exp(-dt_s * speed / lu)
        self.u = au * self.u + su * math.sqrt(1 - au * au) * g(0.0, 1.0)
        # v and w: a first-order process of variance σ²/2 through the lead-lag (1 + √3Ts)/(1 + Ts).
        av = math.exp(-dt_s * speed / lv)
        self.v_first = av * self.v_first + sv / math.sqrt(2) * math.sqrt(1 - av * av) * g(0.0, 1.0)
        self.v_lag = av * self.v_lag + (1 - av) * self.v_first
        aw = math.exp(-dt_s * speed / lw)
        self.w_first = aw * self.w_first + sw / math.sqrt(2) * math.sqrt(1 - aw * aw) * g(0.0, 1.0)
        self.w_lag = aw * self.w_lag + (1 - aw) * self.w_first
        return (self.u, SQRT3 * self.v_first - (SQRT3 - 1) * self.v_lag,
                SQRT3 * self.w_first - (SQRT3 - 1) * self.w_lag)
