"""WGS-84 geodetic ⇄ local NED through ECEF, exact like Kestrel's LocalFrame (Sources/FlightMath/Geodesy): JSBSim
flies on the ellipsoid, the sensors and the board work in the launcher's NED frame."""
import math

A_M = 6378137.0
F = 1 / 298.257223563
E2 = F * (2 - F)


def ecef_of(lat_deg, lon_deg, alt_m):
    lat, lon = math.radians(lat_deg), math.radians(lon_deg)
    s, c = math.sin(lat), math.cos(lat)
    n = A_M / math.sqrt(1 - E2 * s * s)
    return ((n + alt_m) * c * math.cos(lon), (n + alt_m) * c * math.sin(lon), (n * (1 - E2) + alt_m) * s)


def geodetic_of(x, y, z):
    """(lat_deg, lon_deg, alt_m); a few fixed-point iterations reach µm accuracy near the surface."""
    lon = math.atan2(y, x)
    p = math.hypot(x, y)
    lat = math.atan2(z, p * (1 - E2))
    for _ in range(5):
        s = math.sin(lat)
        n = A_M / math.sqrt(1 - E2 * s * s)
        alt = p / math.cos(lat) - n
        lat = math.atan2(z, p * (1 - E2 * n / (n + alt)))
    s = math.sin(lat)
    n = A_M / math.sqrt(1 - E2 * s * s)
    return math.degrees(lat), math.degrees(lon), p / math.cos(lat) - n


class LocalFrame:
    """North-east-down frame tangent to the ellipsoid at `origin` = (lat_deg, lon_deg, alt_m)."""

    def __init__(self, lat_deg, lon_deg, alt_m):
        self.origin = (lat_deg, lon_deg, alt_m)
        self.origin_ecef = ecef_of(lat_deg, lon_deg, alt_m)
        sl, cl = math.sin(math.radians(lat_deg)), math.cos(math.radians(lat_deg))
        so, co = math.sin(math.radians(lon_deg)), math.cos(math.radians(lon_deg))
        self.rows = ((-sl * co, -sl * so, cl), (-so, co, 0.0), (-cl * co, -cl * so, -sl))

    def ned_of(self, lat_deg, lon_deg, alt_m):
        p = ecef_of(lat_deg, lon_deg, alt_m)
        d = [p[i] - self.origin_ecef[i] for i in range(3)]
        return tuple(sum(r[i] * d[i] for i in range(3)) for r in self.rows)

    def geodetic_of_ned(self, ned):
        r = self.rows
        d = [sum(r[k][i] * ned[k] for k in range(3)) for i in range(3)]
        return geodetic_of(*(self.origin_ecef[i] + d[i] for i in range(3)))
