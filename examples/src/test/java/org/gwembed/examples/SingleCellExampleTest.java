package org.gwembed.examples;

import static org.gwembed.core.Fixtures.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.gwembed.core.Fixtures;
import org.gwembed.embedding.ProgressListener;
import org.gwembed.embedding.SingleCellAlignment;
import org.gwembed.metricspaces.InputFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SingleCellExampleTest {

    @TempDir
    Path dir;

    @Test
    void theProtocolOfEachDatasetIsTheAuthors() {
        SingleCellAlignment.Protocol scgem = SingleCellExample.protocol("scgem", false, 2, ProgressListener.NONE);
        assertEquals(SingleCellAlignment.Method.BOTH, scgem.method());
        assertEquals(500, scgem.jmdsIterations());
        assertEquals(10, scgem.candidates(177).size());
        assertEquals(100, SingleCellExample.protocol("snareseq", false, 2, ProgressListener.NONE).jmdsIterations());
        SingleCellAlignment.Protocol quick = SingleCellExample.protocol("scgem", true, 2, ProgressListener.NONE);
        assertEquals(1, quick.candidates(177).size());
        assertEquals(10, quick.grid());
        assertEquals(10, quick.jmdsIterations());
        assertEquals(4, SingleCellExample.PAPER.size());
    }

    @Test
    void scgemQuickFromTheSharedData() {
        Path data = Fixtures.sharedData("scgem/scGEM_expression.csv").getParent().getParent();
        SingleCellExample.Result r = SingleCellExample.run(new SingleCellExample.Request(List.of("scgem"), data, true,
                2, ProgressListener.NONE));
        SingleCellExample.Entry e = r.entries().get(0);
        assertEquals(177, e.data().data().cells());
        assertEquals("scGEM_expression.csv", e.data().xName());
        assertNotNull(e.data().labelNames());
        double f = e.report().ewl().selection().best().test().symmetric();
        assertTrue(f >= 0 && f <= 1, "FOSCTTM " + f);
        assertNotNull(e.report().jmds().selection().best().transfer());
    }

    @Test
    void mismatchedFilesAreRefusedNamingTheFile() throws IOException {
        Path x = dir.resolve("x.csv");
        Path y = dir.resolve("y.csv");
        Path lx = dir.resolve("lx.txt");
        Path ly = dir.resolve("ly.txt");
        Files.write(x, List.of("1,2", "3,4", "5,6"));
        Files.write(y, List.of("1", "2", "3"));
        Files.write(lx, List.of("a", "b"));
        Files.write(ly, List.of("a", "b", "c"));
        InputFormatException e = org.junit.jupiter.api.Assertions.assertThrows(InputFormatException.class,
                () -> SingleCellDatasets.load(new SingleCellDatasets.Files(x, y, lx, ly)));
        assertTrue(e.getMessage().contains("2 labels") && e.getMessage().contains("lx.txt"), e.getMessage());
        Files.write(ly, List.of("c", "a", "b"));
        Files.write(lx, List.of("a", "b", "c"));
        SingleCellDatasets.Dataset d = SingleCellDatasets.load(new SingleCellDatasets.Files(x, y, lx, ly));
        assertEquals(List.of("a", "b", "c"), d.labelNames());
        assertEquals(d.data().classesX()[0], d.data().classesY()[1], "one numbering for both modalities");
        assertRejects("unknown dataset", () -> SingleCellDatasets.files("pbmc", dir));
    }
}
