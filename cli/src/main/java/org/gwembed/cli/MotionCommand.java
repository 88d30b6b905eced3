package org.gwembed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

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
                + "length (2/3 to 4/3 of --frames), with 1 cm joint noise. Each member's metric space has one point "
                + "per frame; the distance of two frames is the Euclidean distance of their joint positions after "
                + "subtracting each frame's centroid (translation invariant).",
            "Writes under --out (default out/examples/motion): member-000.npy, ... (float64 square matrices), "
                + "labels.csv (file, movement, class, speed, period, phase, amplitude, frames) and collection.json "
                + "(the settings and the same table). Takes well under a second for the defaults."},
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
            + "(about metres). Default: 0.01.")
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
            w.printf(Locale.ROOT, "wrote %s: %d members (%s), %s ... %s, labels.csv, collection.json (%.1f s)%n",
                    dir, collection.members().size(), String.join(", ", counts), files.get(0),
                    files.get(files.size() - 3), (System.nanoTime() - t0) / 1e9);
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
