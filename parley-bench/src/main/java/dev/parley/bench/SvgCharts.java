package dev.parley.bench;

import dev.parley.eval.Percentiles;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's two charts as standalone SVG, written by hand (no chart library for two pictures): the
 * distribution of end-to-end latency as a cumulative curve with its p50/p95/p99 marked, and each clip's reply as one
 * horizontal bar of its waterfall's stages. Both are plain XML (SVG 1.1, text escaped) that a browser opens as is;
 * every clip's bar is a {@code <g class="bar">} with a {@code <title>}, so a hover shows its figures.
 */
public final class SvgCharts {
    /** A colour per stage (colour-blind-safe Okabe–Ito palette), and grey for what the waterfall does not cover. */
    private static final Map<String, String> COLOURS = Map.of("endpoint", "#E69F00", "stt", "#56B4E9", "dialog", "#009E73",
            "tts", "#CC79A7", "out", "#0072B2");
    private static final String REST = "#BBBBBB";
    private static final int LEFT = 70, RIGHT = 30, TOP = 40, BOTTOM = 50;

    private SvgCharts() {
    }

    /** End to end over the answered clips: the share of replies (y) that came within x ms. */
    public static String latencyCdf(BenchFigures figures, String title) {
        double[] v = figures.clips().stream().filter(BenchFigures.Clip::answered).mapToDouble(BenchFigures.Clip::endToEndMs).sorted().toArray();
        int width = 720, height = 420, plotW = width - LEFT - RIGHT, plotH = height - TOP - BOTTOM;
        StringBuilder s = open(width, height, title);
        double max = niceCeiling(v.length == 0 ? 1 : v[v.length - 1]);
        // axes and grid
        for (double tick : ticks(max)) {
            double x = LEFT + tick / max * plotW;
            s.append(line(x, TOP, x, TOP + plotH, "#EEEEEE"));
            s.append(text(x, TOP + plotH + 18, "middle", 11, fmt(tick)));
        }
        for (int pct = 0; pct <= 100; pct += 25) {
            double y = TOP + plotH - pct / 100.0 * plotH;
            s.append(line(LEFT, y, LEFT + plotW, y, "#EEEEEE"));
            s.append(text(LEFT - 6, y + 4, "end", 11, pct + " %"));
        }
        s.append(line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "#333333"));
        s.append(line(LEFT, TOP, LEFT, TOP + plotH, "#333333"));
        s.append(text(LEFT + plotW / 2.0, height - 12, "middle", 12, "end-to-end latency (ms): real end of speech → first reply audio"));
        s.append(text(16, TOP + plotH / 2.0, "middle", 12, "replies within", "rotate(-90 16 " + fmt(TOP + plotH / 2.0) + ")"));
        if (v.length == 0) {
            s.append(text(LEFT + plotW / 2.0, TOP + plotH / 2.0, "middle", 14, "no clip was answered"));
        } else {
            // the empirical CDF as a step line
            StringBuilder path = new StringBuilder("M").append(fmt(LEFT)).append(',').append(fmt(TOP + plotH));
            for (int i = 0; i < v.length; i++) {
                double x = LEFT + v[i] / max * plotW;
                path.append(" H").append(fmt(x)).append(" V").append(fmt(TOP + plotH - (i + 1.0) / v.length * plotH));
            }
            path.append(" H").append(fmt(LEFT + plotW));
            s.append("<path class=\"cdf\" d=\"").append(path).append("\" fill=\"none\" stroke=\"#0072B2\" stroke-width=\"2\"/>\n");
            Percentiles.Summary sum = Percentiles.of(v);
            String[][] marks = {{"p50", fmt(sum.p50())}, {"p95", fmt(sum.p95())}, {"p99", fmt(sum.p99())}};
            double[] at = {sum.p50(), sum.p95(), sum.p99()};
            for (int i = 0; i < at.length; i++) {
                double x = LEFT + at[i] / max * plotW;
                s.append("<line class=\"percentile\" x1=\"").append(fmt(x)).append("\" y1=\"").append(TOP).append("\" x2=\"").append(fmt(x))
                        .append("\" y2=\"").append(TOP + plotH).append("\" stroke=\"#D55E00\" stroke-dasharray=\"4 3\"/>\n");
                s.append(text(x + 3, TOP + 12 + 13 * i, "start", 11, marks[i][0] + " " + Math.round(at[i]) + " ms"));
            }
        }
        s.append(text(LEFT + plotW, TOP - 8, "end", 11, v.length + " of " + figures.clips().size() + " clips answered"));
        return close(s);
    }

    /**
     * One bar per clip, in order: the reply's stages stacked from the end of speech as the pipeline dated it, then in
     * grey what the end-to-end figure has beyond them (the transport, and the difference in where the pipeline and the
     * manifest put the end of speech); with no stages (a server that reports none) the whole bar is that grey. A black
     * mark shows the end-to-end figure itself (from the manifest's {@code speech_end_s}). Axis in ms.
     */
    public static String waterfall(BenchFigures figures, String title) {
        List<BenchFigures.Clip> clips = figures.clips();
        int barH = 16, gap = 6, labelW = 260, legendH = 30;
        int plotW = 620, width = labelW + plotW + RIGHT, plotH = Math.max(1, clips.size()) * (barH + gap);
        int height = TOP + legendH + plotH + BOTTOM;
        StringBuilder s = open(width, height, title);
        double longest = 1;
        for (BenchFigures.Clip c : clips) {
            double stages = c.stagesMs().values().stream().mapToDouble(Double::doubleValue).sum();
            longest = Math.max(longest, Math.max(stages, c.answered() ? c.endToEndMs() : 0));
        }
        double max = niceCeiling(longest);
        int top = TOP + legendH;
        // legend
        double lx = labelW;
        for (String stage : BenchFigures.STAGES) {
            s.append(rect(lx, TOP, 12, 12, COLOURS.get(stage), null)).append(text(lx + 16, TOP + 10, "start", 11, stage));
            lx += 24 + 7 * stage.length() + 14;
        }
        s.append(rect(lx, TOP, 12, 12, REST, null)).append(text(lx + 16, TOP + 10, "start", 11, "rest (not in the waterfall)"));
        lx += 24 + 170;
        s.append(line(lx + 6, TOP - 1, lx + 6, TOP + 13, "#000000")).append(text(lx + 12, TOP + 10, "start", 11, "end to end"));
        for (double tick : ticks(max)) {
            double x = labelW + tick / max * plotW;
            s.append(line(x, top - 4, x, top + plotH, "#EEEEEE"));
            s.append(text(x, top + plotH + 16, "middle", 11, fmt(tick)));
        }
        s.append(line(labelW, top + plotH, labelW + plotW, top + plotH, "#333333"));
        s.append(text(labelW + plotW / 2.0, height - 12, "middle", 12, "ms after the end of speech (bars: the pipeline's waterfall; mark: end to end from speech_end_s)"));
        for (int i = 0; i < clips.size(); i++) {
            BenchFigures.Clip c = clips.get(i);
            double y = top + i * (barH + gap);
            s.append("<g class=\"bar\" data-clip=\"").append(escape(c.name())).append("\">\n");
            s.append("<title>").append(escape(tooltip(c))).append("</title>\n");
            s.append(text(labelW - 6, y + barH - 4, "end", 11, shorten(c.name(), 40)));
            double x = labelW, sum = 0;
            for (String stage : BenchFigures.STAGES) {
                Double ms = c.stagesMs().get(stage);
                if (ms == null || ms <= 0) continue;
                double w = ms / max * plotW;
                s.append(rect(x, y, w, barH, COLOURS.get(stage), "stage " + stage));
                x += w;
                sum += ms;
            }
            if (c.answered() && c.endToEndMs() > sum) {
                s.append(rect(x, y, (c.endToEndMs() - sum) / max * plotW, barH, REST, "stage rest"));
            }
            if (c.answered()) {
                // the end-to-end figure itself, which the stages may over- or undershoot
                double ex = labelW + c.endToEndMs() / max * plotW;
                s.append("<line class=\"e2e\" x1=\"").append(fmt(ex)).append("\" y1=\"").append(fmt(y - 2)).append("\" x2=\"").append(fmt(ex))
                        .append("\" y2=\"").append(fmt(y + barH + 2)).append("\" stroke=\"#000000\" stroke-width=\"2\"/>\n");
            } else {
                s.append(text(labelW + 4, y + barH - 4, "start", 11, "no reply"));
            }
            s.append("</g>\n");
        }
        return close(s);
    }

    private static String tooltip(BenchFigures.Clip c) {
        StringBuilder t = new StringBuilder(c.name()).append(": end to end ")
                .append(c.answered() ? Math.round(c.endToEndMs()) + " ms" : "no reply");
        c.stagesMs().forEach((k, v) -> t.append(", ").append(k).append(' ').append(Math.round(v)).append(" ms"));
        if (c.answered() && c.stagesMs().isEmpty()) t.append(" (no stages reported)");
        return t.toString();
    }

    // ---------------------------------------------------------------- SVG pieces

    private static StringBuilder open(int width, int height, String title) {
        StringBuilder s = new StringBuilder(8192);
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" font-family=\"sans-serif\">\n");
        s.append("<title>").append(escape(title)).append("</title>\n");
        s.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height).append("\" fill=\"#FFFFFF\"/>\n");
        s.append(text(width / 2.0, 22, "middle", 15, title));
        return s;
    }

    private static String close(StringBuilder s) {
        return s.append("</svg>\n").toString();
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return "<line x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\"" + fmt(y2) + "\" stroke=\"" + colour + "\"/>\n";
    }

    private static String rect(double x, double y, double w, double h, String fill, String cssClass) {
        return "<rect" + (cssClass == null ? "" : " class=\"" + cssClass + "\"") + " x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" width=\""
                + fmt(w) + "\" height=\"" + fmt(h) + "\" fill=\"" + fill + "\"/>\n";
    }

    private static String text(double x, double y, String anchor, int size, String content) {
        return text(x, y, anchor, size, content, null);
    }

    private static String text(double x, double y, String anchor, int size, String content, String transform) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" + size + "\""
                + (transform == null ? "" : " transform=\"" + transform + "\"") + ">" + escape(content) + "</text>\n";
    }

    /** XML text and attribute escaping (clip names and transcripts are data). */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    // characters XML 1.0 does not allow at all are dropped
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') out.append(c);
                }
            }
        }
        return out.toString();
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** The axis' end for data up to {@code v}: a whole number of {@link #step} steps at or above it. */
    static double niceCeiling(double v) {
        if (!(v > 0)) return 1;
        double step = step(v);
        return Math.ceil(v / step - 1e-9) * step;
    }

    /** A round step (1, 2, 2.5 or 5 × 10^k) that cuts 0..v into about five. */
    static double step(double v) {
        double raw = v / 5, p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 2.5, 5}) if (m * p >= raw) return m * p;
        return 10 * p;
    }

    /** The ticks from 0 to {@code max} (a value of {@link #niceCeiling}), a {@link #step} apart. */
    static double[] ticks(double max) {
        double step = step(max);
        int n = (int) Math.round(max / step);
        double[] t = new double[n + 1];
        for (int i = 0; i <= n; i++) t[i] = i * step;
        return t;
    }
}
