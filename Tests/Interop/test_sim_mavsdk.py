"""Interop: MAVSDK 4.1.0 (in-process C++ library through its Python wrapper) against the SITL vehicle of
`kestrel sim --realtime --mavlink`, not only the protocol test vehicle.

MAVSDK discovers the simulated vehicle as an autopilot, downloads the scenario's mission through mission_raw (the
plan of Scenarios/missions/gate-short.toml plus Kestrel's designation item, MAV_CMD 53200), uploads its own plan
(takeoff, waypoint, loiter, designation) and reads it back, reads a parameter, arms the vehicle (`--arm-from-link`
keeps it disarmed on the catapult until then), and reads position, attitude, armed state and flight mode as it
launches and flies. Expected values come from the scenario and mission files.

    .venv/bin/pip install mavsdk==4.1.0 pytest
    swift build --product kestrel
    KESTREL_BIN_DIR=$(swift build --show-bin-path) .venv/bin/python -m pytest Tests/Interop/test_sim_mavsdk.py
"""
import asyncio
import math
import os
import subprocess
import tomllib

import pytest

from test_mavlink_link import free_udp_port  # noqa: E402

mavsdk_asyncio = pytest.importorskip("mavsdk.asyncio")
from test_mavlink_mavsdk import discovered_autopilot, first  # noqa: E402
from mavsdk.asyncio.plugins.action.action import ActionAsync  # noqa: E402
from mavsdk.asyncio.plugins.mission_raw.mission_raw import MissionItem, MissionRawAsync  # noqa: E402
from mavsdk.asyncio.plugins.param.param import ParamAsync  # noqa: E402
from mavsdk.asyncio.plugins.telemetry.telemetry import FlightMode, TelemetryAsync  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCENARIO = os.path.join(ROOT, "Scenarios", "gate", "link-approval.toml")
ORIGIN = (47.397742, 8.545594, 488.0)  # [origin] of the scenario
LOITER = (474058370, 85535421)  # gate-short.toml loiter and designation


def horizontal_m(lat1, lon1, lat2, lon2):
    dlat = math.radians(lat2 - lat1)
    dlon = math.radians(lon2 - lon1) * math.cos(math.radians(lat1))
    return 6_371_000.0 * math.hypot(dlat, dlon)


async def fly_with_mavsdk(url):
    async with discovered_autopilot(url, timeout_s=20.0) as system:
        telemetry = TelemetryAsync(system)

        # On the launcher: at the origin, level-ish, not yet flying.
        position = await first(telemetry.subscribe_position(), lambda p: not math.isnan(p.latitude_deg), 20)
        assert horizontal_m(position.latitude_deg, position.longitude_deg, *ORIGIN[:2]) < 50
        assert position.absolute_altitude_m == pytest.approx(ORIGIN[2], abs=15)

        # The mission as the vehicle stores it.
        items = await asyncio.wait_for(MissionRawAsync(system).download_mission(), 20)
        assert [i.command for i in items] == [22, 16, 17, 53200]  # takeoff, waypoint, loiter unlimited, designation
        assert [i.seq for i in items] == [0, 1, 2, 3]
        assert items[0].z == pytest.approx(80.0)
        assert (items[1].x, items[1].y, items[1].z) == (474031387, 85455940, pytest.approx(100.0))
        assert (items[2].x, items[2].y) == LOITER and items[2].param3 == pytest.approx(120.0)
        assert (items[3].x, items[3].y) == LOITER

        # A plan of MAVSDK's own, uploaded on the ground (relative altitudes; the designation is Kestrel's item).
        mission = MissionRawAsync(system)
        rel = 6  # MAV_FRAME_GLOBAL_RELATIVE_ALT_INT
        plan = [(22, rel, 0, 0, 0, 0, 0, 70), (16, rel, 0, 30, 0, 474017420, 85455940, 90),
                (17, rel, 0, 0, 130, 474058370, 85535421, 110), (53200, rel, 0, 0, 0, 474058370, 85535421, 0)]
        upload = [MissionItem(seq, frame, cmd, 1 if seq == 0 else 0, 1, p1, p2, p3, 0, x, y, z, 0)
                  for seq, (cmd, frame, p1, p2, p3, x, y, z) in enumerate(plan)]
        await asyncio.wait_for(mission.upload_mission(upload), 20)
        back = await asyncio.wait_for(mission.download_mission(), 20)
        assert [(i.command, i.x, i.y) for i in back] == [(c, x, y) for c, _, _, _, _, x, y, _ in plan]
        assert back[2].param3 == pytest.approx(130.0) and back[1].z == pytest.approx(90.0)

        # Parameters: the airframe's tunables, under the names the ground link gives them.
        airframe = tomllib.loads(open(os.path.join(ROOT, "Hardware", "airframes", "kestrel-2m.toml")).read())
        loiter_radius = await asyncio.wait_for(ParamAsync(system).get_param_float("NAV_LOITER_RAD"), 10)
        assert loiter_radius == pytest.approx(airframe["guidance"]["loiter_radius_m"])

        # Armed by MAVSDK; the catapult fires once armed.
        assert await first(telemetry.subscribe_armed(), lambda a: True, 10) is False
        await asyncio.wait_for(ActionAsync(system).arm(), 10)
        armed = await first(telemetry.subscribe_armed(), lambda a: a, 30)
        assert armed is True

        # Flying: attitude moves, altitude rises above the launcher, MAVSDK names a flight mode.
        airborne = await first(telemetry.subscribe_position(), lambda p: p.relative_altitude_m > 30, 60)
        assert airborne.relative_altitude_m > 30
        attitude = await first(telemetry.subscribe_attitude_euler(), lambda a: not math.isnan(a.roll_deg), 10)
        assert -90 < attitude.roll_deg < 90 and -60 < attitude.pitch_deg < 60 and -180 <= attitude.yaw_deg <= 360
        mode = await first(telemetry.subscribe_flight_mode(), lambda m: True, 10)
        in_air = await first(telemetry.subscribe_in_air(), lambda a: a, 10)
        return mode, in_air


@pytest.mark.parametrize("vehicle_side", ["udpin", "udpout"])
def test_mavsdk_flies_along_with_the_sitl_vehicle(kestrel, tmp_path, vehicle_side):
    port = free_udp_port()
    if vehicle_side == "udpout":
        endpoint, url = f"udpout:127.0.0.1:{port}", f"udpin://127.0.0.1:{port}"
    else:
        endpoint, url = f"udpin:127.0.0.1:{port}", f"udpout://127.0.0.1:{port}"
    sim = subprocess.Popen([str(kestrel), "sim", SCENARIO, "--realtime", "--speed", "4", "--duration-s", "200",
                            "--mavlink", endpoint, "--no-log", "--arm-from-link"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        mode, in_air = asyncio.run(fly_with_mavsdk(url))
        assert in_air is True
        # Kestrel announces MAV_AUTOPILOT_GENERIC with its own custom_mode numbers (kestrel.xml KESTREL_FLIGHT_MODE);
        # MAVSDK decodes custom modes only for PX4 and ArduPilot, so it reports UNKNOWN. Ground stations that need
        # the mode read HEARTBEAT.custom_mode with the Kestrel dialect (test_sim_mavlink.py does).
        assert mode == FlightMode.UNKNOWN
    finally:
        if sim.poll() is None:
            sim.kill()
        sim.communicate(timeout=20)
