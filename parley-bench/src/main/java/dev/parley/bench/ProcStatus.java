package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What Linux says about a process in {@code /proc/<pid>}: the numeric fields of {@code status} ({@code VmRSS},
 * {@code RssAnon}, {@code VmHWM} in kB, {@code Threads} as a count) and how many file descriptors it has open; and
 * about the machine, its load average ({@code /proc/loadavg}). The one reader of {@code /proc} for the benchmarks,
 * the load test and the soak (and their commands), so they all count the same way; another process's figures need
 * the same user (or root), as {@code /proc} allows.
 */
public final class ProcStatus {
    private ProcStatus() {
    }

    /**
     * One look at a process; -1 for what could not be read (not Linux, the process is gone, not ours).
     *
     * @param rssKb   resident memory, {@code VmRSS}
     * @param threads all its threads, native ones included ({@code Threads})
     * @param fds     open file descriptors (entries of {@code /proc/<pid>/fd}): sockets, files, pipes
     */
    public record Sample(long rssKb, long threads, long fds) {
        public double rssMb() {
            return rssKb < 0 ? Double.NaN : rssKb / 1024.0;
        }
    }

    /** The process {@code pid} now. */
    public static Sample sample(long pid) {
        Map<String, Long> status = fields(String.valueOf(pid));
        return new Sample(status.getOrDefault("VmRSS", -1L), status.getOrDefault("Threads", -1L), openFds(String.valueOf(pid)));
    }

    /** This process's resident memory now ({@code VmRSS}) and at its peak ({@code VmHWM}), in MB; -1 off Linux. */
    public record Resident(long nowMb, long peakMb) {
    }

    /** This process's {@link Resident} memory now. */
    public static Resident resident() {
        Map<String, Long> status = self();
        return new Resident(mb(status.get("VmRSS")), mb(status.get("VmHWM")));
    }

    private static long mb(Long kb) {
        return kb == null ? -1 : kb / 1024;
    }

    /** The system's load average (1, 5, 15 minutes), to tell a quiet machine from a busy one; "?" off Linux. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** The numeric fields of this process's {@code /proc/self/status} ("kB" dropped); empty off Linux. */
    public static Map<String, Long> self() {
        return fields("self");
    }

    /** The numeric fields of {@code /proc/<pid>/status}, "kB" dropped; empty when it cannot be read. */
    static Map<String, Long> fields(String pid) {
        Map<String, Long> m = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                int colon = line.indexOf(':');
                if (colon <= 0) continue;
                String value = line.substring(colon + 1).trim();
                if (value.endsWith(" kB")) value = value.substring(0, value.length() - 3).trim();
                if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) m.put(line.substring(0, colon), Long.parseLong(value));
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone: nothing known
        }
        return m;
    }

    private static long openFds(String pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", pid, "fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
