package halo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class PvdTest {

    @TempDir
    Path dir;

    @Test
    void afterEveryAddTheFileIsAWholeCollectionOfAllEntries() throws Exception {
        Pvd pvd = new Pvd(dir.resolve("field.pvd"));
        double[] times = {0.0, 0.49889761998981985, 0.1 + 0.2};
        for (int i = 0; i < times.length; i++) {
            pvd.add(times[i], dir.resolve(String.format("snapshot-%05d.vti", i)));
            Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pvd.file().toFile());
            assertEquals("Collection", xml.getDocumentElement().getAttribute("type"));
            NodeList sets = xml.getElementsByTagName("DataSet");
            assertEquals(i + 1, sets.getLength());
            for (int j = 0; j <= i; j++) {
                Element set = (Element) sets.item(j);
                assertEquals(String.format("snapshot-%05d.vti", j), set.getAttribute("file"));
                assertEquals(times[j], Double.parseDouble(set.getAttribute("timestep"))); // exact
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left beside it");
        }
    }
}
