package org.gwembed.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gwembed info}: the environment report of {@link Info}. */
@Command(name = "info", mixinStandardHelpOptions = true,
        header = "Environment report: JVM, processors, maximum heap, BLAS in use.",
        description = "Print the environment a run depends on: JVM, processors, maximum heap, BLAS in use.")
final class InfoCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Info.report(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        spec.commandLine().getOut().print(bytes.toString(StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
    }
}
