package io.edgetune.cloud.mqtt.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * What the birth certificate says about the device: the facts Kapua's device
 * page shows (serial number, model, connection address, framework versions).
 * Read once from the operating system; the connection address is read again
 * at every birth, since it changes with the network.
 *
 * @param modelName           e.g. "EdgeTune"
 * @param modelId             the hardware model (Raspberry Pi device tree, DMI product name), or "UNKNOWN"
 * @param serialNumber        the board serial (device tree, DMI), else the machine id, or "UNKNOWN"
 * @param cpuVersion          the CPU model from /proc/cpuinfo, or null when unknown
 * @param osgiFramework       the system bundle's symbolic name
 * @param osgiFrameworkVersion the system bundle's version
 */
public record DeviceProfile(String modelName, String modelId, String serialNumber, String cpuVersion, String osgiFramework,
                            String osgiFrameworkVersion) {

    static final String UNKNOWN = "UNKNOWN";

    /** The profile of the machine this runs on. */
    public static DeviceProfile detect(String osgiFramework, String osgiFrameworkVersion) {
        String model = firstLine(Path.of("/proc/device-tree/model"), Path.of("/sys/devices/virtual/dmi/id/product_name"));
        String serial = firstLine(Path.of("/proc/device-tree/serial-number"), Path.of("/sys/devices/virtual/dmi/id/product_serial"),
                Path.of("/etc/machine-id"));
        return new DeviceProfile("EdgeTune", model == null ? UNKNOWN : model, serial == null ? UNKNOWN : serial, cpuModel(),
                osgiFramework, osgiFrameworkVersion);
    }

    /** Addresses of the interfaces that are up (one per interface, IPv4 first), as Kura lists them: comma separated. */
    static Connection connection() {
        List<String> ips = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) {
                    continue;
                }
                List<InetAddress> addresses = Collections.list(ni.getInetAddresses());
                InetAddress pick = addresses.stream().filter(a -> a instanceof Inet4Address).findFirst()
                        .orElse(addresses.isEmpty() ? null : addresses.get(0));
                if (pick == null) {
                    continue;
                }
                String ip = pick.getHostAddress();
                int zone = ip.indexOf('%');
                ips.add(zone < 0 ? ip : ip.substring(0, zone));
                byte[] mac = ni.getHardwareAddress();
                names.add(ni.getName() + (mac == null ? "" : " (" + HexFormat.ofDelimiter(":").withUpperCase().formatHex(mac) + ")"));
            }
        } catch (SocketException | RuntimeException e) {
            // leave the lists as far as they got
        }
        return new Connection(ips.isEmpty() ? UNKNOWN : String.join(",", ips), names.isEmpty() ? UNKNOWN : String.join(",", names));
    }

    record Connection(String ip, String interfaces) {
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.ISO_8859_1)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    String key = line.substring(0, colon).trim();
                    if (key.equals("model name") || key.equals("Model")) {
                        String v = line.substring(colon + 1).trim();
                        if (!v.isEmpty()) {
                            return v;
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable
        }
        return null;
    }

    private static String firstLine(Path... candidates) {
        for (Path p : candidates) {
            try {
                // device tree strings end with a NUL
                String s = Files.readString(p, StandardCharsets.ISO_8859_1).replace("\0", "").trim();
                int nl = s.indexOf('\n');
                s = nl < 0 ? s : s.substring(0, nl).trim();
                if (!s.isEmpty()) {
                    return s;
                }
            } catch (IOException | RuntimeException e) {
                // absent or not readable (DMI serials are root-only): try the next
            }
        }
        return null;
    }
}
