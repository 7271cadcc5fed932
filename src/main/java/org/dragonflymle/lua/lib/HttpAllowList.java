package org.dragonflymle.lua.lib;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import org.dragonflymle.config.Capabilities;

/**
 * Where {@code dragonfly.http_get} may connect: a host listed in {@code sandbox.http_allow} (with
 * or without a port: {@code host}, {@code host:port}, {@code [v6]:port}, a bare IPv6 address);
 * loopback, link-local, wildcard and multicast addresses only when listed as addresses; the
 * engine's own ports on this machine never. {@link HttpDownload} asks before resolving (the host)
 * and for every address it resolved (the address it then connects to). Immutable.
 */
final class HttpAllowList {

    private final Capabilities caps;

    HttpAllowList(Capabilities caps) {
        this.caps = caps;
    }

    /** Why {@code address:port} may not be connected to, or null when it may. */
    String refusal(InetAddress address, int port) {
        if (caps.reservedPorts().contains(port) && isThisMachine(address)) {
            return address.getHostAddress()
                    + ":"
                    + port
                    + " is one of the engine's own ports, never reachable from scripts";
        }
        boolean special =
                address.isLoopbackAddress()
                        || address.isLinkLocalAddress()
                        || address.isAnyLocalAddress()
                        || address.isMulticastAddress();
        if (special && !addressListed(address, port)) {
            return address.getHostAddress()
                    + " is a loopback, link-local, wildcard or multicast address; list it in"
                    + " sandbox.http_allow as an address to allow it";
        }
        return null;
    }

    /** Whether {@code host:port} is listed. */
    boolean hostAllowed(String host, int port) {
        for (String entry : caps.httpAllow()) {
            if (matches(entry, host, port)) {
                return true;
            }
        }
        return false;
    }

    private boolean addressListed(InetAddress address, int port) {
        for (String entry : caps.httpAllow()) {
            String h = entryHost(entry);
            try {
                if (isLiteral(h)
                        && InetAddress.getByName(h).equals(address)
                        && matches(entry, h, port)) {
                    return true;
                }
            } catch (UnknownHostException e) {
                // not an address
            }
        }
        return false;
    }

    private static boolean matches(String entry, String host, int port) {
        int p = entryPort(entry);
        return entryHost(entry).equalsIgnoreCase(host) && (p < 0 || p == port);
    }

    /** {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 address → the host. */
    private static String entryHost(String entry) {
        if (entry.startsWith("[")) {
            return entry.substring(1, Math.max(1, entry.indexOf(']')));
        }
        int colon = entry.indexOf(':');
        return colon > 0 && colon == entry.lastIndexOf(':') ? entry.substring(0, colon) : entry;
    }

    /** The entry's port, or -1 when it names none (or an unparsable one, which matches none). */
    private static int entryPort(String entry) {
        String port = null;
        if (entry.startsWith("[")) {
            int end = entry.indexOf("]:");
            port = end < 0 ? null : entry.substring(end + 2);
        } else {
            int colon = entry.indexOf(':');
            port = colon > 0 && colon == entry.lastIndexOf(':') ? entry.substring(colon + 1) : null;
        }
        if (port == null) {
            return -1;
        }
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether {@code host} is an IP address rather than a name. */
    static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    private static boolean isThisMachine(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true;
        }
    }
}
