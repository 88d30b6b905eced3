package org.gwembed.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.examples.MotionSequences;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gwembed examples motion}: writes a collection of synthetic motion sequences ({@link MotionSequences}) as
 * one {@code .npy} frame-distance matrix per member, {@code labels.csv} and {@code collection.json}: the input of a
 * pairwise GW comparison (issue 19's worked example).
 */
@Command(name = "motion", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Generate a collection of motion sequences (frame distance matrices + labels) for pairwise GW.",
        description = {"A stick figure of 15 joints performs one of a few periodic movements (walk, jumping-jacks, "
                + "arm-wave, squat, kick) per member, each at its own speed, phase, amplitude, posture, timing and "
                + "length (2/3 to 4/3 of --frames), with 1.2 cm joint noise. Each member's metric space has one "
                + "point per frame; the distance of two frames is the Euclidean distance of their joint positions "
                + "after subtracting each frame's centroid (translation invariant).",
            "Writes under --out (default out/examples/motion): member-000.npy, ... (float64 square matrices), "
                + "labels.csv (file, movement, class, speed, period, phase, amplitude, frames), collection.json "
                + "(the settings and the same table) and movements.png (each movement's first member: stick "
                + "figures over one cycle and its frame-distance matrix). About a second for the defaults."},
        footer = {"", "Examples:", "  gwembed examples motion --out out/motion",
            "  gwembed examples motion --out out/motion --members 50 --frames 300 --classes 5 --seed 7"})
final class MotionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory. Default: out/examples/motion.")
    Path out;

    @Option(names = "--members", paramLabel = "M", defaultValue = "20",
            description = "Number of sequences (classes assigned in turn). Default: ${DEFAULT-VALUE}.")
    int members;

    @Option(names = "--frames", paramLabel = "F", defaultValue = "300",
            description = "Typical length in frames (each member has 2/3 to 4/3 of it; periods scale with it: "
                    + "F/10 to F/4). Default: ${DEFAULT-VALUE}.")
    int frames;

    @Option(names = "--classes", paramLabel = "K", defaultValue = "4",
            description = "Number of movements, 1 to 5, in the order walk, jumping-jacks, arm-wave, squat, kick. "
                    + "Default: ${DEFAULT-VALUE}.")
    int classes;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed. Default: "
            + "${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--noise", paramLabel = "SD", description = "Joint noise per coordinate in body units "
            + "(about metres). Default: 0.012.")
    Double noise;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
    boolean quiet;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        MotionSequences.Options options = options();
        Path dir = out != null ? out : Path.of("out", "examples", "motion");
        MotionSequences.Collection collection = MotionSequences.generate(options);
        List<String> files = new ArrayList<>(MotionSequences.write(collection, dir));
        Json.write(dir.resolve("collection.json"), description(collection));
        files.add("collection.json");
        Plots.write(picture(collection), dir.resolve("movements.png"));
        files.add("movements.png");
        if (!quiet) {
            PrintWriter w = spec.commandLine().getOut();
            int[] perClass = new int[options.classes()];
            for (int label : collection.labels()) {
                perClass[label]++;
            }
            List<String> counts = new ArrayList<>();
            for (int k = 0; k < perClass.length; k++) {
                counts.add(MotionSequences.Movement.values()[k].label() + " " + perClass[k]);
            }
            w.printf(Locale.ROOT, "wrote %s: %d members (%s), %s ... %s, labels.csv, collection.json, movements.png "
                    + "(%.1f s)%n", dir, collection.members().size(), String.join(", ", counts), files.get(0),
                    files.get(collection.members().size() - 1), (System.nanoTime() - t0) / 1e9);
            w.flush();
        }
        return 0;
    }

    /** The settings from the options, validated (IllegalArgumentException naming the option: exit 2). */
    private MotionSequences.Options options() {
        if (members < 1) {
            throw new IllegalArgumentException("--members must be >= 1, got " + members);
        }
        if (frames < 6) {
            throw new IllegalArgumentException("--frames must be >= 6, got " + frames);
        }
        int max = MotionSequences.Movement.values().length;
        if (classes < 1 || classes > max) {
            throw new IllegalArgumentException("--classes must be in [1, " + max + "], got " + classes);
        }
        if (noise != null && !(noise >= 0 && Double.isFinite(noise))) {
            throw new IllegalArgumentException("--noise must be >= 0 and finite, got " + noise);
        }
        MotionSequences.Options o = MotionSequences.Options.defaults().withMembers(members).withFrames(frames)
                .withClasses(classes).withSeed(seed);
        return noise == null ? o : o.withNoise(noise);
    }

    /** Pixels per body unit in the stick figures. */
    private static final double FIGURE_SCALE = 95;
    /** Poses drawn per movement, over one cycle. */
    private static final int FIGURE_POSES = 5;

    /**
     * {@code movements.png}: per movement (its first member), {@link #FIGURE_POSES} poses over one cycle as stick
     * figures seen from the front-left (the member's own facing), the body's left limbs blue, right orange, and
     * under them the member's frame-distance matrix as a heat map.
     */
    static BufferedImage picture(MotionSequences.Collection c) {
        List<BufferedImage> columns = new ArrayList<>();
        for (int k = 0; k < c.options().classes(); k++) {
            final int cls = k;
            MotionSequences.Member m = c.members().stream().filter(x -> x.movement().ordinal() == cls).findFirst()
                    .orElse(null);
            if (m == null) {
                continue;
            }
            BufferedImage figures = figures(m);
            double[] d = m.space().space().distanceMatrix().data;
            BufferedImage heat = Plots.heatmap("frame distances, member " + m.index(), d, m.frames(), m.frames(),
                    figures.getWidth() - 20, false);
            columns.add(Plots.stacked(figures, heat));
        }
        return Plots.sideBySide(columns.toArray(BufferedImage[]::new));
    }

    private static BufferedImage figures(MotionSequences.Member m) {
        int width = 360;
        int height = 250;
        BufferedImage im = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Plots.whiteCanvas(im);
        // front-left three-quarter view: the body faces +y rotated by the member's facing
        Plots.Camera camera = new Plots.Camera(Math.toDegrees(m.facing()) + 90 - 35, 12);
        DMatrixRMaj p = m.poses();
        int[][] bones = MotionSequences.bones();
        Color left = new Color(31, 119, 180);
        Color right = new Color(255, 127, 14);
        g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int s = 0; s < FIGURE_POSES; s++) {
            int t = Math.min(p.numRows - 1, (int) Math.round(s * m.period() / FIGURE_POSES));
            double cx = width * (s + 0.5) / FIGURE_POSES;
            double[][] xy = new double[MotionSequences.JOINTS][];
            double[] pelvis = camera.project(p.get(t, 0), p.get(t, 1), p.get(t, 2));
            for (int j = 0; j < MotionSequences.JOINTS; j++) {
                double[] q = camera.project(p.get(t, 3 * j), p.get(t, 3 * j + 1), p.get(t, 3 * j + 2));
                xy[j] = new double[] {cx + FIGURE_SCALE * (q[0] - pelvis[0]),
                    height * 0.55 - FIGURE_SCALE * (q[1] - pelvis[1])};
            }
            for (int[] b : bones) {
                String name = MotionSequences.JOINT_NAMES.get(b[1]);
                g.setColor(name.startsWith("left") ? left : name.startsWith("right") ? right : Color.DARK_GRAY);
                g.draw(new Line2D.Double(xy[b[0]][0], xy[b[0]][1], xy[b[1]][0], xy[b[1]][1]));
            }
            g.setColor(Color.DARK_GRAY);
            g.fill(new Ellipse2D.Double(xy[2][0] - 6, xy[2][1] - 6, 12, 12));
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(String.format(Locale.ROOT, "%s (member %d)", m.movement().label(), m.index()), 10, 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(String.format(Locale.ROOT, "one cycle of %.1f frames, %d poses; %d frames", m.period(),
                FIGURE_POSES, m.frames()), 10, 33);
        g.dispose();
        return im;
    }

    private static Map<String, Object> description(MotionSequences.Collection c) {
        MotionSequences.Options o = c.options();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generator", "gwembed examples motion (org.gwembed.examples.MotionSequences)");
        m.put("distance", "Euclidean distance between frames' joint positions (15 joints x 3), each frame centred "
                + "on its joint centroid; body units (about metres), not normalised");
        m.put("weights", "uniform");
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("members", o.members());
        s.put("frames", o.frames());
        s.put("classes", o.classes());
        s.put("seed", o.seed());
        s.put("period_min", o.periodMin());
        s.put("period_max", o.periodMax());
        s.put("amplitude_spread", o.amplitudeSpread());
        s.put("style_offset_degrees", o.styleOffset());
        s.put("timing_warp", o.timingWarp());
        s.put("noise", o.noise());
        m.put("settings", s);
        List<String> movements = new ArrayList<>();
        for (int k = 0; k < o.classes(); k++) {
            movements.add(MotionSequences.Movement.values()[k].label());
        }
        m.put("movements", movements);
        m.put("joints", MotionSequences.JOINT_NAMES);
        List<Object> list = new ArrayList<>();
        for (MotionSequences.Member x : c.members()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("file", x.fileName());
            e.put("movement", x.movement().label());
            e.put("class", x.movement().ordinal());
            e.put("frames", x.frames());
            e.put("speed", x.speed());
            e.put("period", x.period());
            e.put("phase", x.phase());
            e.put("amplitude", x.amplitude());
            e.put("scale", x.scale());
            e.put("facing", x.facing());
            list.add(e);
        }
        m.put("members", list);
        m.put("labels", "labels.csv");
        return m;
    }
}
