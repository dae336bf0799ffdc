package dev.parley.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * What the measured process (this one, or a server in a child JVM) costs while a step runs: its CPU time over the step (from
 * {@code com.sun.management.OperatingSystemMXBean}), and the peaks of its heap in use (garbage included, as the
 * heap really had to hold it) and of its resident memory, sampled every {@value #PERIOD_MS} ms; and how busy the
 * whole machine was meanwhile, since on a shared machine others' work weighs on the latencies too. Another
 * process's CPU time comes from the operating system ({@link ProcessHandle.Info#totalCpuDuration()}), its resident
 * memory from {@code /proc}; its heap is not known here (NaN).
 */
public final class ResourceSampler implements AutoCloseable {
    static final int PERIOD_MS = 250;

    /**
     * @param cpuProcessPct   the process's CPU time over the wall time, in % of all cores (100: every core busy)
     * @param cpuProcessCores the same in cores (1.0: one core busy)
     * @param machineCpuPct   the whole machine's mean CPU load over the step, in %, or NaN when unknown
     * @param heapMb          peak heap in use
     * @param rssMb           peak resident memory (VmRSS), or NaN off Linux
     */
    public record Usage(double cpuProcessPct, double cpuProcessCores, double machineCpuPct, double heapMb, double rssMb) {}

    private final com.sun.management.OperatingSystemMXBean os =
            ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final long pid;
    private final boolean self;
    private final long cpu0, wall0 = System.nanoTime();
    private final Thread thread;
    private volatile boolean stop;
    private long heapPeak, rssPeakKb = -1;
    private double machineLoadSum;
    private int machineLoads;

    ResourceSampler() {
        this(ProcessHandle.current().pid());
    }

    /** Samples the process {@code pid}. */
    ResourceSampler(long pid) {
        this.pid = pid;
        this.self = pid == ProcessHandle.current().pid();
        this.cpu0 = cpuNanos();
        os.getCpuLoad(); // the first reading of a load is meaningless: start its interval now
        thread = Thread.ofPlatform().daemon().name("loadtest-sampler").start(this::loop);
    }

    private void loop() {
        while (!stop) {
            sample();
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        if (self) heapPeak = Math.max(heapPeak, memory.getHeapMemoryUsage().getUsed());
        rssPeakKb = Math.max(rssPeakKb, self ? rssKb() : dev.parley.bench.ProcStatus.sample(pid).rssKb());
        double load = os.getCpuLoad();
        if (load >= 0) {
            machineLoadSum += load;
            machineLoads++;
        }
    }

    /** Stops sampling; what the step cost. */
    synchronized Usage usage() {
        close();
        sample();
        double wall = System.nanoTime() - wall0, cpu = cpuNanos() - cpu0;
        int cores = Runtime.getRuntime().availableProcessors();
        double coresBusy = cpu0 < 0 || wall <= 0 ? Double.NaN : cpu / wall;
        return new Usage(100 * coresBusy / cores, coresBusy, machineLoads == 0 ? Double.NaN : 100 * machineLoadSum / machineLoads,
                self ? heapPeak / 1048576.0 : Double.NaN, rssPeakKb < 0 ? Double.NaN : rssPeakKb / 1024.0);
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }

    /** The measured process's CPU time so far, in ns; -1 when unknown. */
    private long cpuNanos() {
        if (self) return os.getProcessCpuTime();
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(java.time.Duration::toNanos).orElse(-1L);
    }

    /** VmRSS of this process in kB, or -1 off Linux. */
    static long rssKb() {
        return dev.parley.bench.ProcStatus.self().getOrDefault("VmRSS", -1L);
    }
}
