/**
 * Launchers of MPJ Express programs, and the rendezvous of niodev ranks. JDK only: nothing
 * here imports MPJ (reached by reflection), the rest of Halo or a library, so that Maven can
 * package these classes alone into {@code .mpj/lib/halo-launcher.jar} (pom.xml), which
 * {@code mpjrun.sh} and the Slurm jobs start.
 *
 * <h2>For correctness</h2>
 * <ul>
 * <li>{@link halo.launch.MulticoreLauncher}: the multicore entry point ({@code mpjrun.sh}'s
 *     default device) and the in-process runs of tests; {@link halo.launch.LaunchCommand}
 *     reads its command line, {@link halo.launch.MpjInstallation} finds MPJ's jars.
 * <li>{@link halo.launch.ExitStatus}: <b>the truthful exit status</b>: every rank's
 *     {@code main} is called there, and the first that throws makes the run fail at once
 *     (MPJ's own starter exits 0 whatever happened).
 * <li>{@link halo.launch.Ranks}: the rank threads, each in its smpdev thread group with its
 *     own {@link halo.launch.RankLoader}, so that MPJ's and the program's statics are per
 *     rank; {@link halo.launch.RankClassLoaders} makes the loader tree of a run.
 * <li>{@link halo.launch.NiodevLauncher}, {@link halo.launch.NiodevRank}: one JVM per rank on
 *     this machine, the first rank to fail ends the others and sets the status;
 *     {@link halo.launch.Rendezvous}: how niodev ranks meet (here and in Slurm jobs);
 *     {@link halo.launch.ParentWatch}: no JVM outlives the script that started it.
 * </ul>
 *
 * <h2>For start-up speed only</h2>
 * Runs give the same results without these; figures are in docs/performance.md.
 * <ul>
 * <li>{@link halo.launch.SharedClasses} and {@link halo.launch.LibraryLoader}: classes an
 *     application jar declares shareable (manifest attribute {@code MPJ-Shared-Packages})
 *     are loaded, and compiled by the JIT, once per JVM instead of once per rank;
 * <li>the JVM's own class loader as the ranks' parent under {@code mpjrun.sh}
 *     ({@link halo.launch.RankClassLoaders#systemClassPathJars}), so that the shared classes
 *     come from the class data sharing archive;
 * <li>{@link halo.launch.RankJars}: MPJ's per-rank jars read once for all ranks;
 * <li>{@link halo.launch.OwnFirstLoader}: no ClassNotFoundException thrown and caught per
 *     class a rank loads.
 * </ul>
 */
package halo.launch;
