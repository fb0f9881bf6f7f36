"""Interop: Kestrel's MAVLink ground link against MAVSDK 4.1.0 (in-process C++ library via its Python wrapper).

MAVSDK is strict about what a vehicle must do before it counts as an autopilot (heartbeats, AUTOPILOT_VERSION, a
mission protocol it can drive); this test runs `mavlink-test-vehicle` (GroundLink with an in-memory vehicle) and lets
MAVSDK discover it, read telemetry and parameters, and upload/download a mission including Kestrel's designation item
(MAV_CMD 53200) through mission_raw.

Run from the repository root:
    .venv/bin/pip install pymavlink==2.4.50 mavsdk==4.1.0 pytest
    swift build --product mavlink-test-vehicle
    .venv/bin/python -m pytest Tests/Interop/test_mavlink_mavsdk.py
"""
import asyncio
import contextlib
import math
import os
import subprocess

import pytest

from test_mavlink_link import free_udp_port  # noqa: E402

mavsdk_asyncio = pytest.importorskip("mavsdk.asyncio")
from mavsdk.asyncio.plugins.info.info import InfoAsync  # noqa: E402
from mavsdk.asyncio.plugins.mission_raw.mission_raw import MissionItem, MissionRawAsync  # noqa: E402
from mavsdk.asyncio.plugins.param.param import ParamAsync  # noqa: E402
from mavsdk.asyncio.plugins.telemetry.telemetry import TelemetryAsync  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture(scope="module")
def vehicle_exe(swift_product):
    if os.environ.get("MAVLINK_TEST_VEHICLE"):
        return os.environ["MAVLINK_TEST_VEHICLE"]
    return swift_product("mavlink-test-vehicle")


async def first(generator, accept, timeout):
    async def scan():
        async for value in generator:
            if accept(value):
                return value
    return await asyncio.wait_for(scan(), timeout)


MISSION = [  # (command, frame, param1, param2, param3, x, y, z)
    (22, 6, 15, 0, 0, 473977420, 85455940, 60),
    (16, 6, 0, 10, 0, 473987420, 85465940, 100),
    (18, 6, 3, 0, -90, 474007420, 85485940, 120),
    (53200, 5, 0, 0, 0, 474027420, 85505940, 540.5),
    (17, 6, 0, 0, 100, 474027420, 85505940, 120),
    (20, 2, 0, 0, 0, 0, 0, 0),
]


@contextlib.asynccontextmanager
async def discovered_autopilot(url, timeout_s):
    """MAVSDK as a ground station on `url`, and the autopilot it discovered there (the vehicle, system id 1)."""
    config = mavsdk_asyncio.Configuration.create_with_component_type(mavsdk_asyncio.ComponentType.GROUND_STATION)
    async with mavsdk_asyncio.Mavsdk(config) as mavsdk:
        await mavsdk.add_any_connection(url)
        system = await mavsdk.first_autopilot(timeout_s=timeout_s)
        assert system is not None, "MAVSDK did not discover the vehicle as an autopilot"
        assert await system.get_system_id() == 1
        yield system


async def exercise(url):
    async with discovered_autopilot(url, timeout_s=10.0) as system:

        telemetry = TelemetryAsync(system)
        position = await first(telemetry.subscribe_position(), lambda p: not math.isnan(p.latitude_deg), 10)
        assert position.latitude_deg == pytest.approx(47.397742, abs=1e-7)
        assert position.longitude_deg == pytest.approx(8.545594, abs=1e-7)
        assert position.absolute_altitude_m == pytest.approx(488.0, abs=1e-3)
        home = await first(telemetry.subscribe_home(), lambda h: not math.isnan(h.latitude_deg), 10)
        assert home.latitude_deg == pytest.approx(47.397742, abs=1e-7)
        assert await first(telemetry.subscribe_armed(), lambda a: True, 5) is False

        version = await asyncio.wait_for(InfoAsync(system).get_version(), 10)
        assert (version.flight_sw_major, version.flight_sw_minor) == (0, 1)

        params = ParamAsync(system)
        assert await asyncio.wait_for(params.get_param_float("FW_AIRSPD_TRIM"), 10) == 16.0
        await asyncio.wait_for(params.set_param_float("FW_AIRSPD_TRIM", 17.25), 10)
        assert await asyncio.wait_for(params.get_param_float("FW_AIRSPD_TRIM"), 10) == 17.25
        # Integer parameters are REAL32 on the wire, so MAVSDK reads them as floats.
        assert await asyncio.wait_for(params.get_param_float("LINK_LOSS_S"), 10) == 10.0
        everything = await asyncio.wait_for(params.get_all_params(), 20)
        assert len(everything.float_params) == 8 and len(everything.int_params) == 0

        mission = MissionRawAsync(system)
        items = [MissionItem(seq, frame, cmd, 1 if seq == 0 else 0, 1, p1, p2, p3, 0, x, y, z, 0)
                 for seq, (cmd, frame, p1, p2, p3, x, y, z) in enumerate(MISSION)]
        await asyncio.wait_for(mission.upload_mission(items), 20)
        downloaded = await asyncio.wait_for(mission.download_mission(), 20)
        return [(i.command, i.frame, i.param1, i.param2, i.param3, i.x, i.y, i.z) for i in downloaded]


@pytest.mark.parametrize("vehicle_side", ["udpout", "udpin"])
def test_mavsdk_discovers_reads_and_transfers_a_mission(vehicle_exe, vehicle_side):
    port = free_udp_port()
    if vehicle_side == "udpout":
        endpoint, url = f"udpout:127.0.0.1:{port}", f"udpin://127.0.0.1:{port}"
    else:
        endpoint, url = f"udpin:127.0.0.1:{port}", f"udpout://127.0.0.1:{port}"
    proc = subprocess.Popen([vehicle_exe, endpoint], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        downloaded = asyncio.run(exercise(url))
        assert downloaded == MISSION  # every field back as uploaded (1.0 == 1 in Python)
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
