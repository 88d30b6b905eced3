package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Tables#read} drops pandas' default index column (empty first header name, rows 0..n-1), only that. */
class PandasIndexTest {

    @TempDir
    Path dir;

    @Test
    void dropsTheDefaultIndexOnly() throws IOException {
        Tables.Table t = Tables.read(Files.writeString(dir.resolve("a.csv"), ",x,y\n0,1.5,2\n1,3,4\n2,5,6\n"));
        assertEquals(List.of("x", "y"), t.header());
        assertArrayEquals(new double[] {1.5, 2, 3, 4, 5, 6}, t.values().data, 0);
        // a named first column, or one that is not 0..n-1, stays
        assertEquals(3, Tables.read(Files.writeString(dir.resolve("b.csv"), "i,x,y\n0,1,2\n1,3,4\n")).columns());
        assertEquals(3, Tables.read(Files.writeString(dir.resolve("c.csv"), ",x,y\n5,1,2\n1,3,4\n")).columns());
    }
}
