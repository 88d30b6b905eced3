package org.gwembed.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.gwembed.embedding.JointEmbedding;
import org.gwembed.examples.MeshExamples;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The frame of the mesh examples' commands ({@code rolls}, {@code shapes}, {@code sphere}, {@code torus}): resolve the
 * sizes, run the example (library code in {@code org.gwembed.examples}) with a progress bar, write its runs and
 * pictures, {@code report.json}, print a summary. Subclasses say what to run and draw.
 */
abstract class MeshExampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ExampleOptions common;

    @Mixin
    MeshExampleOptions sizes;

    @Mixin
    SpeedOptions speed;

    /**
     * What one call has resolved: settings, threads, output directory, space spec, the EW_λ settings (without the
     * progress listener) and the example's request (with it).
     */
    record Context(MeshExamples.Settings settings, int threads, Path out, String space, JointEmbedding.Options options,
            MeshExamples.Request request, Progress progress) {
    }

    /** The example's name (its subcommand and default output directory). */
    abstract String name();

    /** Full-size and {@code --quick} defaults. */
    abstract MeshExamples.Settings defaults(boolean quick);

    /** The space spec for a grid side. */
    abstract String space(int grid);

    /** Where in the paper the figure is. */
    abstract String paper();

    /** Runs the example, writes its runs and its own pictures, and returns the runs. */
    abstract List<Examples.Run> run(Context c) throws IOException;

    /** The files written, relative to the output directory, {@code report.json} last. */
    abstract List<String> files();

    /** The smallest vertex count the generators accept. */
    int minVertices() {
        return 9;
    }

    /** How many EW_λ runs the example makes (for the progress bar). */
    int embeddings() {
        return 1;
    }

    /** Extra summary lines after the runs. */
    void summarise(PrintWriter w, List<Examples.Run> runs) {
    }

    @Override
    public Integer call() throws IOException {
        long t0 = System.nanoTime();
        MeshExamples.Settings s = sizes.resolve(defaults(common.quick), minVertices());
        int t = common.threads();
        Path out = common.out(name());
        EmbeddingRun.createDirectories(out);
        JointEmbedding.Options options = speed.apply(EmbedCommand.options(List.of(s.lambda()), s.epsilon(), s.outer(),
                JointEmbedding.CostScaling.REFERENCE, t));
        Progress progress = new Progress(spec.commandLine().getErr(), Progress.enabled(common.quiet),
                embeddings() * s.outer());
        progress.stage("EW_lambda");
        Context c = new Context(s, t, out, space(s.grid()), options, new MeshExamples.Request(s.vertices(), s.grid(),
                options.withListener(progress)), progress);
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

    /** Runs the library example with the progress bar, which ends before anything is printed. */
    static <T> T solve(Context c, Function<MeshExamples.Request, T> example) {
        try {
            return example.apply(c.request());
        } finally {
            c.progress().finish();
        }
    }

    /** Writes one run into {@code dir}, with the paper reference and {@code moreNotes} in its notes. */
    Examples.Run write(Context c, MeshExamples.Run run, Path dir, Map<String, Object> moreNotes,
            EmbeddingRun.Extras extras) {
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("paper", paper());
        notes.putAll(moreNotes);
        return Examples.write(spec, common, name(), run, dir, c.options(), notes, extras);
    }
}
