package org.gwembed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The frame of the mesh examples ({@code rolls}, {@code shapes}, {@code sphere}, {@code torus}): resolve the sizes,
 * run the example's EW_λ runs, write {@code report.json}, print a summary. Subclasses say what to run.
 */
abstract class MeshExample implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ExampleOptions common;

    @Mixin
    MeshExampleOptions sizes;

    @Mixin
    SpeedOptions speed;

    /** What one call has resolved: settings, threads, output directory, space spec. */
    record Context(MeshExampleOptions.Settings settings, int threads, Path out, String space) {
    }

    /** The example's name (its subcommand and default output directory). */
    abstract String name();

    /** Full-size and {@code --quick} defaults. */
    abstract MeshExampleOptions.Settings defaults(boolean quick);

    /** The space spec for a grid side. */
    abstract String space(int grid);

    /** Where in the paper the figure is. */
    abstract String paper();

    /** Runs the example's embeddings (and writes its own pictures) and returns the runs. */
    abstract List<Examples.Run> run(Context c) throws java.io.IOException;

    /** The files written, relative to the output directory, {@code report.json} last. */
    abstract List<String> files();

    /** The smallest vertex count the generators accept. */
    int minVertices() {
        return 9;
    }

    /** Extra summary lines after the runs. */
    void summarise(PrintWriter w, List<Examples.Run> runs) {
    }

    @Override
    public Integer call() throws java.io.IOException {
        long t0 = System.nanoTime();
        MeshExampleOptions.Settings s = sizes.resolve(defaults(common.quick), minVertices());
        int t = common.threads();
        Path out = common.out(name());
        EmbeddingRun.createDirectories(out);
        Context c = new Context(s, t, out, space(s.grid()));
        List<Examples.Run> runs = run(c);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Examples.writeReport(out, name(), common.quick, paper(), Examples.parameters(s, c.space(), t), runs, files(),
                seconds);
        PrintWriter w = spec.commandLine().getOut();
        summarise(w, runs);
        w.printf(Locale.ROOT, "wrote %s: %s (%.1f s)%n", out, String.join(", ", files()), seconds);
        w.flush();
        return 0;
    }

    /** Loads a generated input ({@code gen:NAME:N} with the resolved vertex count). */
    Inputs.Input load(Context c, String generator) {
        return Inputs.load("--vertices", "gen:" + generator + ":" + c.settings().vertices(), "euclidean", c.threads());
    }

    /** One EW_λ run of two inputs into {@code dir}, with the paper reference in its notes. */
    Examples.Run embed(Context c, String runName, Path dir, Inputs.Input source, Inputs.Input target,
            Map<String, Object> moreNotes, EmbeddingRun.Extras extras) {
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("paper", paper());
        notes.putAll(moreNotes);
        return Examples.embed(spec, common, speed, name(), runName, dir, source, target, c.space(), c.settings(),
                notes, extras);
    }
}
