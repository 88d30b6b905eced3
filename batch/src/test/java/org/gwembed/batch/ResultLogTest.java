package org.gwembed.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultLogTest {

    @TempDir
    Path dir;

    @Test
    void anIncompleteLastLineIsIgnoredAndTheFirstLineOfAKeyWins() throws IOException {
        ResultLog log = new ResultLog(dir.resolve("log"));
        try (ResultLog.Writer w = log.open("a")) {
            w.append("0:1,first");
            w.append("0:2,x");
        }
        try (ResultLog.Writer w = log.open("b")) {
            w.append("0:1,first");
        }
        // a writer killed in the middle of a line
        Files.writeString(dir.resolve("log/part-c.csv"), "0:3,complete\n0:4,half", StandardCharsets.UTF_8);
        Map<String, String> lines = log.read();
        assertEquals(List.of("0:1", "0:2", "0:3"), new ArrayList<>(lines.keySet()).stream().sorted().toList());
        assertEquals("0:1,first", lines.get("0:1"));
        assertEquals(4, log.countLines());
    }

    @Test
    void concurrentAppendsKeepWholeLines() throws Exception {
        ResultLog log = new ResultLog(dir.resolve("log"));
        try (ResultLog.Writer w = log.open("pool")) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                threads.add(new Thread(() -> {
                    for (int k = 0; k < 250; k++) {
                        w.append(id + ":" + k + "," + "v".repeat(100));
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
        }
        Map<String, String> lines = log.read();
        assertEquals(1000, lines.size());
        lines.values().forEach(l -> assertEquals(100, l.substring(l.indexOf(',') + 1).length()));
    }

    @Test
    void lineBreaksInALineAreRefused() {
        ResultLog log = new ResultLog(dir.resolve("log"));
        try (ResultLog.Writer w = log.open("a")) {
            assertThrows(IllegalArgumentException.class, () -> w.append("0:1,a\nb"));
        }
    }
}
