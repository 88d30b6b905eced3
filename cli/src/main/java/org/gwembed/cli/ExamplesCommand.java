package org.gwembed.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gwembed examples <name>}: one command per figure or table of the paper, each writing PNGs, a
 * {@code report.json} and a short summary under {@code --out} (default {@code out/examples/<name>}).
 */
@Command(name = "examples", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Regenerate the paper's figures and tables (rolls, shapes, sphere, torus, appendix-b, single-cell); "
                + "generate data (motion).",
        description = {"Each example regenerates one figure or table of Beier et al. 2025 as PNG(s), report.json and a "
                + "short summary on stdout, under --out (default out/examples/<name>). Every example takes --quick "
                + "(a few seconds), --out, --threads and --quiet; see 'gwembed examples <name> --help'. 'motion' "
                + "writes a collection of motion sequences for pairwise comparison (its own options).",
            "Full-size times on 2 cores: rolls ~4 min, shapes ~1.5 min, sphere ~2 min, torus ~1.5 min, appendix-b "
                + "~2 min, single-cell ~8 min."},
        subcommands = {RollsCommand.class, ShapesCommand.class, SphereCommand.class, TorusCommand.class,
            AppendixBCommand.class, SingleCellCommand.class, MotionCommand.class},
        footer = {"", "Examples:", "  gwembed examples --list", "  gwembed examples rolls --quick",
            "  gwembed examples sphere --out out/sphere", "  gwembed examples motion --out out/motion --members 20"})
final class ExamplesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--list", description = "List the examples, one line each.")
    boolean list;

    @Override
    public Integer call() {
        if (!list) {
            throw new ParameterException(spec.commandLine(), "missing example: choose one of "
                    + String.join(", ", spec.subcommands().keySet()) + " (or --list)");
        }
        PrintWriter out = spec.commandLine().getOut();
        for (CommandLine c : spec.subcommands().values()) {
            String[] header = c.getCommandSpec().usageMessage().header();
            out.printf("  %-12s %s%n", c.getCommandName(), header.length > 0 ? header[0] : "");
        }
        out.flush();
        return 0;
    }
}
