package org.gwembed.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class InfoTest {

    @Test
    void reportNamesTheBlasAndTheProcessorCount() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Info.report(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("BLAS:") && text.contains("dev.ludovic.netlib"), text);
        assertTrue(text.contains("processors: " + Runtime.getRuntime().availableProcessors()), text);
    }
}
