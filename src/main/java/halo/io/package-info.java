/**
 * Outputs of a run: the run directory and the files in it ({@code summary.json}, fields as
 * {@code .npy}, VTK {@code .vti} (with a {@code .pvd} collection) and HDF5 {@code .h5}, PNG
 * pictures with the nipy_spectral colour map).
 *
 * <p>Plain arrays and records only: nothing here knows MPJ, logging or physics, so every class
 * can be used and tested on its own. Every file is written whole or not at all (see
 * {@link halo.io.AtomicFile}), because later tools read them while a run may still be going.
 */
package halo.io;
