package dev.warden.expose;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One completed system call as strace reported it (run with {@code -f -ttt -xx}: pid first, epoch seconds with
 * microseconds, every string byte hex-escaped so that argv and packets decode exactly). Calls split across
 * {@code <unfinished ...>} / {@code <... resumed>} lines are joined by {@link StraceParser} before they get here.
 *
 * @param arguments the raw argument text between the parentheses
 * @param result    the return value ({@code -1} with {@code errno} on failure), or null when it never returned
 * @param errno     the error name ({@code ENETUNREACH}), or null
 */
public record Syscall(int pid, long micros, String name, String arguments, Long result, String errno) {

    private static final Pattern PORT = Pattern.compile("sin6?_port=htons\\((\\d{1,5})\\)");
    private static final Pattern INET4 = Pattern.compile("sin_addr=inet_addr\\(\"((?:\\\\x[0-9a-f]{2})*)\"\\)");
    private static final Pattern INET6 = Pattern.compile("inet_pton\\(AF_INET6, \"((?:\\\\x[0-9a-f]{2})*)\"");
    private static final Pattern UNIX = Pattern.compile("sun_path=(@?)\"((?:\\\\x[0-9a-f]{2})*)\"");
    private static final Pattern FAMILY = Pattern.compile("sa_family=(AF_[A-Z0-9]+)");

    public boolean failed() {
        return result != null && result < 0;
    }

    /** Every string argument, decoded, in order (argv elements included): the {@code "\\xNN…"} runs strace writes. */
    public List<byte[]> strings() {
        List<byte[]> strings = new ArrayList<>();
        int at = arguments.indexOf('"');
        while (at >= 0) {
            int end = at + 1;
            while (end + 3 < arguments.length() && arguments.charAt(end) == '\\' && arguments.charAt(end + 1) == 'x') {
                end += 4;
            }
            if (end < arguments.length() && arguments.charAt(end) == '"') {
                byte[] bytes = new byte[(end - at - 1) / 4];
                for (int i = 0; i < bytes.length; i++) {
                    int p = at + 1 + i * 4 + 2;
                    bytes[i] = (byte) (Character.digit(arguments.charAt(p), 16) << 4
                            | Character.digit(arguments.charAt(p + 1), 16));
                }
                strings.add(bytes);
                at = arguments.indexOf('"', end + 1);
            } else {
                at = arguments.indexOf('"', at + 1);
            }
        }
        return strings;
    }

    /** The first string argument as text: the path of execve/openat. */
    public String firstString() {
        List<byte[]> strings = strings();
        return strings.isEmpty() ? null : new String(strings.getFirst(), StandardCharsets.UTF_8);
    }

    /**
     * The descriptor an {@code *at} call or {@code fchdir} is relative to: its first argument, or null for
     * {@code AT_FDCWD} (the working directory) and anything that is not a small number.
     */
    public Integer descriptor() {
        int comma = arguments.indexOf(',');
        String first = (comma < 0 ? arguments : arguments.substring(0, comma)).strip();
        return first.length() <= 9 && !first.isEmpty() && first.chars().allMatch(Character::isDigit)
                ? Integer.valueOf(first) : null;
    }

    /** A socket address argument, when there is one: family, host and port. */
    public SocketAddress address() {
        Matcher family = FAMILY.matcher(arguments);
        if (!family.find()) {
            return null;
        }
        Matcher port = PORT.matcher(arguments);
        int number = port.find() ? Integer.parseInt(port.group(1)) : 0;
        return switch (family.group(1)) {
            case "AF_INET" -> {
                Matcher host = INET4.matcher(arguments);
                yield new SocketAddress("inet", host.find() ? text(host.group(1)) : "?", number);
            }
            case "AF_INET6" -> {
                Matcher host = INET6.matcher(arguments);
                yield new SocketAddress("inet6", host.find() ? text(host.group(1)) : "?", number);
            }
            case "AF_UNIX" -> {
                Matcher path = UNIX.matcher(arguments);
                yield new SocketAddress("unix", path.find() ? path.group(1) + text(path.group(2)) : "?", 0);
            }
            default -> new SocketAddress(family.group(1).substring(3).toLowerCase(Locale.ROOT), "?", 0);
        };
    }

    /** Where a socket call was aimed. */
    public record SocketAddress(String family, String host, int port) {

        public boolean loopback() {
            return family.equals("unix") || host.startsWith("127.") || host.equals("::1");
        }

        @Override
        public String toString() {
            return family.equals("unix") ? "unix:" + host : family.equals("inet6") ? "[" + host + "]:" + port
                    : host + ":" + port;
        }
    }

    static byte[] hex(String escaped) {
        if (escaped.isEmpty()) {
            return new byte[0];
        }
        return HexFormat.of().parseHex(escaped.replace("\\x", ""));
    }

    private static String text(String escaped) {
        return new String(hex(escaped), StandardCharsets.UTF_8);
    }
}
