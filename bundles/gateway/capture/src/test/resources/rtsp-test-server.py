#!/usr/bin/env python3
"""RTSP server for the capture tests: serves one video file as H.264 at rtsp://127.0.0.1:PORT/cam.

Usage: rtsp-test-server.py PORT VIDEO tcp|udp|any

tcp or udp restricts the lower transports the media offers, so a client asking
for the other one is refused at SETUP. Prints "READY <port>" once it listens.
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("tcp", "udp", "any"):
        sys.stderr.write(__doc__)
        return 2
    port, video, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    Gst.init(None)
    for element in ("x264enc", "rtph264pay", "avidemux", "decodebin"):
        if Gst.ElementFactory.find(element) is None:
            sys.stderr.write("GStreamer element %s is missing\n" % element)
            return 3

    lower = GstRtsp.RTSPLowerTrans
    protocols = {"tcp": lower.TCP, "udp": lower.UDP, "any": lower.TCP | lower.UDP}[mode]

    factory = GstRtspServer.RTSPMediaFactory()
    location = video.replace("\\", "\\\\").replace('"', '\\"')
    factory.set_launch(
        '( filesrc location="%s" ! decodebin ! videoconvert ! video/x-raw,format=I420 '
        "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=10 bitrate=2000 "
        "! rtph264pay name=pay0 pt=96 config-interval=1 )" % location)
    factory.set_protocols(protocols)
    factory.set_shared(False)

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    server.get_mount_points().add_factory("/cam", factory)
    if server.attach(None) == 0:
        sys.stderr.write("cannot listen on 127.0.0.1:%s\n" % port)
        return 4
    print("READY %s" % server.get_bound_port(), flush=True)
    GLib.MainLoop().run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
