package halo.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import halo.io.Quote;
import halo.params.FieldFormats.Format;

class FieldFormatsTest {

    private static FieldFormats formats(String option) {
        return FieldFormats.from(ParameterSource.load("diff2d", null, Map.of("format", option)));
    }

    @Test
    void theDefaultIsNpy() {
        FieldFormats formats = FieldFormats.from(ParameterSource.load("diff2d", null, Map.of()));
        assertEquals(List.of(Format.NPY), formats.list());
        assertEquals("npy", formats.toString());
    }

    @ParameterizedTest(name = "--format {0}: {1}")
    @CsvSource(delimiter = '|', value = {"npy|npy", "vtk|vtk", "hdf5|hdf5", "hdf5,npy|npy,hdf5",
            "npy,vtk,hdf5|npy,vtk,hdf5", "' VTK , Npy '|npy,vtk", "vtk,vtk|vtk"})
    void aListInAnyOrderAndCaseCountsEachFormatOnce(String option, String expected) {
        assertEquals(expected, formats(option).toString());
    }

    @Test
    void hasTellsWhatWasAsked() {
        FieldFormats formats = formats("vtk,hdf5");
        assertEquals(false, formats.has(Format.NPY));
        assertEquals(true, formats.has(Format.VTK));
        assertEquals(true, formats.has(Format.HDF5));
    }

    @ParameterizedTest(name = "--format ''{0}''")
    @ValueSource(strings = {"xyz", "npy,,vtk", "npy;vtk", "", "npy,", "netcdf"})
    void anythingElseIsOneLineNamingTheAcceptedFormats(String option) {
        ParameterException e = assertThrows(ParameterException.class, () -> formats(option));
        assertEquals("--format " + Quote.input(option.strip()) + ": accepted a comma-separated list of npy, vtk, hdf5",
                e.getMessage());
    }
}
