package org.gwembed.cli;

import static org.gwembed.cli.CliRunner.assertBadInput;
import static org.gwembed.cli.CliRunner.at;
import static org.gwembed.cli.CliRunner.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.gwembed.examples.MotionSequences;
import org.gwembed.metricspaces.DistanceMatrices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gwembed examples motion}: the files it writes and its bad-input handling. */
class MotionCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesTheCollectionTheLibraryGenerates() throws IOException {
        Path out = dir.resolve("motion");
        CliRunner.Outcome o = CliRunner.run("examples", "motion", "--out", out.toString(), "--members", "5",
                "--frames", "30", "--classes", "5", "--seed", "3");
        assertEquals(0, o.code(), o::toString);
        assertTrue(o.out().contains("5 members"), o::toString);
        MotionSequences.Collection expected = MotionSequences.generate(MotionSequences.Options.defaults()
                .withMembers(5).withFrames(30).withClasses(5).withSeed(3));
        for (MotionSequences.Member m : expected.members()) {
            assertArrayEquals(m.space().space().distanceMatrix().data,
                    DistanceMatrices.read(out.resolve(m.fileName())).distanceMatrix().data, 0, m.fileName());
        }
        List<String> labels = Files.readAllLines(out.resolve("labels.csv"), StandardCharsets.UTF_8);
        assertEquals(6, labels.size());
        assertTrue(labels.get(5).startsWith("member-004.npy,kick,4,"), labels.get(5));
        Map<String, Object> c = json(out.resolve("collection.json"));
        assertEquals(5.0, at(c, "settings", "members"));
        assertEquals(List.of("walk", "jumping-jacks", "arm-wave", "squat", "kick"), at(c, "movements"));
        List<Object> members = MiniJson.array(at(c, "members"));
        assertEquals(5, members.size());
        assertEquals((double) expected.members().get(2).frames(), at(MiniJson.object(members.get(2)), "frames"));
    }

    @Test
    void quietPrintsNothing() {
        CliRunner.Outcome o = CliRunner.run("examples", "motion", "--out", dir.toString(), "--members", "2",
                "--frames", "12", "-q");
        assertEquals(0, o.code(), o::toString);
        assertEquals("", o.out().strip());
    }

    @Test
    void badArgumentsExitWithTwoAndOneLineNamingTheOption() {
        String out = dir.toString();
        String[][] cases = {{"--members", "0", "--members"}, {"--frames", "3", "--frames"},
            {"--classes", "6", "--classes"}, {"--classes", "0", "--classes"}, {"--noise", "-0.1", "--noise"},
            {"--members", "many", "--members"}};
        for (String[] c : cases) {
            String line = assertBadInput(CliRunner.run("examples", "motion", "--out", out, c[0], c[1]));
            assertTrue(line.contains(c[2]) && line.contains(c[1]), "names " + c[2] + " and " + c[1] + ": " + line);
        }
    }
}
