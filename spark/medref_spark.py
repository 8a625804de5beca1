#!/usr/bin/env python3
"""MedRef on Apache Spark: web archives and pages in, extract shards out, then one `medref ingest --extracts`.

The heavy, per-page part of MedRef (decode, repair, parse, sections, entities) runs in the executors, one
`medref extract` process per partition, with the binary shipped to them with the job; the index, one SQLite file,
is written once at the end by `medref ingest --extracts` on the driver's machine. See spark/README.md.

usage: spark-submit [SPARK OPTIONS] spark/medref_spark.py --out DIR [OPTIONS] INPUT...
  INPUT            WARC files (.warc, .warc.gz), HTML or text files, folders of them; paths (relative to --base),
                   file:// URIs, or URIs of any Hadoop file system the cluster has (hdfs://, s3a://, ...)
  --inputs FILE    also take the inputs listed in FILE, one per line (blank lines and '#' lines left out)
  --out DIR        the shard folder: part-NNNNN.jsonl (extract objects) and part-NNNNN.manifest.json (what the
                   partition read, made and failed), on a file system every executor and the driver can reach
  --medref PATH    the medref binary (its *.resources folders beside it), or a bundle made by spark/bundle-medref
                   (default: .build/release/medref)
  --partitions N   how many partitions (default: the inputs, at most 4 per core of the cluster)
  --base DIR       the folder document ids are relative to, as for `medref ingest` with its index in DIR/Index
                   (default: the working folder)
  --threads N      threads of each `medref extract` (MEDREF_THREADS; default: spark.task.cpus)
  --resume         keep the shards of partitions a previous run of the same job finished; run only the others
  --index DB       then run `medref ingest --extracts DIR --index DB` on the driver
  --json           print the summary as one JSON object, the last line of the output (spark-submit merges a Python
                   driver's stderr into its stdout); DIR/_summary.json holds it too
  --read-file-uris-through-hadoop
                   read file:// inputs as hdfs:// ones are read (binaryFiles, staged copies): tests that path

Exit status: 0 when every input was read and every record extracted; 1 when some records or partitions failed
(each is listed in the summary and in its manifest; rerun with --resume after fixing the cause); 2 usage errors.
"""
import argparse
import hashlib
import json
import mmap
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.parse

SHARD = "part-{:05d}.jsonl"
MANIFEST = "part-{:05d}.manifest.json"
JOB = "_job.json"
SUMMARY = "_summary.json"
STAGED_SHARD = "part-h{:05d}.jsonl"
STAGED_MANIFEST = "part-h{:05d}.manifest.json"
BUNDLE_NAME = "medref"
ERROR_PREFIX = b'{"error":'  # an error line; extract objects' keys are sorted, "blocks" first
READ_SIZE = 8 << 20


def _file_mode():
    """What a new file's mode is under the process's umask (mkstemp makes 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()
STDERR_KEPT = 40


class UsageError(Exception):
    pass


# ---------------------------------------------------------------------------------------------------------------
# Inputs and the plan (driver)


def classify(entry, hadoop_files):
    """('local', path as given or resolved from a file:// URI) or ('hadoop', URI); with `hadoop_files`, file:// URIs
    are read through Hadoop too."""
    parsed = urllib.parse.urlsplit(entry)
    if len(parsed.scheme) > 1 and "://" in entry:
        if parsed.scheme == "file" and not hadoop_files:
            return "local", urllib.parse.unquote(parsed.path)
        return "hadoop", entry
    return "local", entry


def read_inputs(arguments, inputs_file, base, hadoop_files=False):
    entries = list(arguments)
    if inputs_file:
        try:
            with open(inputs_file, encoding="utf-8") as handle:
                for line in handle:
                    line = line.strip()
                    if line and not line.startswith("#"):
                        entries.append(line)
        except OSError as error:
            raise UsageError(f"{inputs_file}: cannot read the input list: {error.strerror.lower()}")
    if not entries:
        raise UsageError("give at least one input (a WARC file, a page, a folder or a URI), or --inputs FILE")
    local, hadoop, missing = [], [], []
    for entry in entries:
        kind, value = classify(entry, hadoop_files)
        if kind == "hadoop":
            hadoop.append(value)
        elif os.path.exists(os.path.join(base, value)):
            local.append(value)
        else:
            missing.append({"path": value, "error": "no such file or folder"})
    return local, hadoop, missing


def chunks(items, count):
    """`items` cut into `count` consecutive runs of nearly equal length, in order (a shard's pages come after those of
    the shards before it, so the first of two pages with one URI is the same one a direct ingest keeps)."""
    count = max(1, min(count, len(items)))
    size, extra = divmod(len(items), count)
    runs, start = [], 0
    for k in range(count):
        end = start + size + (1 if k < extra else 0)
        runs.append(items[start:end])
        start = end
    return runs


def digest(values):
    return hashlib.sha256("\n".join(values).encode("utf-8")).hexdigest()[:16]


def prepare_output(out, job, resume):
    """Makes `out`, or checks that what it holds is this job's (a rerun) and clears what a rerun without --resume
    makes again."""
    os.makedirs(out, exist_ok=True)
    job_path = os.path.join(out, JOB)
    if os.path.exists(job_path):
        with open(job_path, encoding="utf-8") as handle:
            previous = json.load(handle)
        if previous != job:
            raise UsageError(
                f"{out}: holds the shards of another job (other inputs, partitions or base); "
                "give an empty or new folder")
    else:
        leftovers = [name for name in os.listdir(out) if name.startswith("part-")]
        if leftovers:
            raise UsageError(f"{out}: holds shards ({leftovers[0]}, ...) of no known job; give an empty or new folder")
        write_atomically(job_path, json.dumps(job, indent=1) + "\n")
    if not resume:
        for name in os.listdir(out):
            if name.endswith(".manifest.json"):
                os.remove(os.path.join(out, name))


def write_atomically(path, text):
    folder, name = os.path.split(path)
    handle, temporary = tempfile.mkstemp(prefix="." + name + ".", suffix=".tmp", dir=folder or ".")
    os.chmod(temporary, FILE_MODE)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def make_bundle(binary, folder):
    """A .tar.gz of the binary and the resource folders beside it, which Spark unpacks in each executor's folder."""
    if binary.endswith(".tar.gz") or binary.endswith(".tgz"):
        return binary
    if not os.path.isfile(binary) or not os.access(binary, os.X_OK):
        raise UsageError(f"{binary}: not an executable file (build it: scripts/build-medref)")
    path = os.path.join(folder, "medref-bundle.tar.gz")
    home = os.path.dirname(os.path.realpath(binary))
    with tarfile.open(path, "w:gz") as bundle:
        bundle.add(os.path.realpath(binary), arcname="medref")
        for name in sorted(os.listdir(home)):
            if name.endswith(".resources") and os.path.isdir(os.path.join(home, name)):
                bundle.add(os.path.join(home, name), arcname=name)
    return path


def local_binary(medref, folder):
    """The binary to run on the driver: the one given, or the one in the bundle given, unpacked."""
    if not (medref.endswith(".tar.gz") or medref.endswith(".tgz")):
        return medref
    target = os.path.join(folder, "driver-medref")
    with tarfile.open(medref) as bundle:
        bundle.extractall(target, filter="data")
    binary = os.path.join(target, "medref")
    os.chmod(binary, 0o755)
    return binary


# ---------------------------------------------------------------------------------------------------------------
# One partition (executor)


def executor_binary():
    from pyspark import SparkFiles

    # Spark unpacks archives in the executor's folder (the task's working folder); SparkFiles' root otherwise.
    for folder in (lambda: os.getcwd(), SparkFiles.getRootDirectory):
        binary = os.path.join(folder(), BUNDLE_NAME, "medref")
        if os.path.isfile(binary):
            if not os.access(binary, os.X_OK):
                os.chmod(binary, 0o755)
            return binary
    raise RuntimeError("the medref bundle was not unpacked in this executor's folder")


def attempt_info():
    from pyspark import TaskContext

    context = TaskContext.get()
    if context is None:
        return 0, True
    limit = int(context.getLocalProperty("medref.maxFailures") or "1")
    return context.attemptNumber(), context.attemptNumber() + 1 >= limit


def run_extract(binary, paths, cwd, threads, shard, uris=None):
    """Runs `medref extract` on `paths`, its output going straight to a temporary file that is renamed to `shard`
    when the process ended normally and its last line is whole. The shard keeps `extract`'s error lines among the
    objects (`medref ingest --extracts` reports each as its source's failure, as a direct ingest would); they are
    also returned. With `uris` (staged path: URI), the paths in the lines are turned back into the URIs. Returns
    (pages, failures, stderr tail); raises when the process did not finish."""
    folder = os.path.dirname(shard)
    handle, temporary = tempfile.mkstemp(prefix="." + os.path.basename(shard) + ".", suffix=".tmp", dir=folder)
    os.chmod(temporary, FILE_MODE)
    environment = dict(os.environ, MEDREF_THREADS=str(threads))
    with tempfile.TemporaryFile(mode="w+b") as errors:
        try:
            with os.fdopen(handle, "wb") as output:
                status = subprocess.run(
                    [binary, "extract", "--format", "jsonl", "--"] + paths,
                    cwd=cwd, stdout=output, stderr=errors, env=environment).returncode
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace").splitlines()[-STDERR_KEPT:]
            lines, error_lines, complete = scan(temporary)
            if status not in (0, 1) or not complete:
                raise RuntimeError(
                    f"medref extract stopped (exit status {status}{'' if complete else ', output cut'}): "
                    + " | ".join(tail[-3:]))
            if uris:
                error_lines = rename_paths(temporary, uris)
            failures = [{"error": line.get("error"), "path": line.get("path")} for line in error_lines]
            if status == 1 and not failures:
                # A path that could not be listed has no error line, only its message.
                failures.append({"error": "; ".join(tail[-3:]) or "medref extract failed", "path": ", ".join(paths)})
            with open(temporary, "rb+") as output:
                os.fsync(output.fileno())
            os.replace(temporary, shard)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
    return lines - len(error_lines), failures, tail


def scan(path):
    """The number of lines of an extract output, its error lines (parsed) and whether its last line is whole."""
    with open(path, "rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        if size == 0:
            return 0, [], True
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
            lines = sum(data[offset:offset + READ_SIZE].count(b"\n") for offset in range(0, size, READ_SIZE))
            starts = [0] if data[:len(ERROR_PREFIX)] == ERROR_PREFIX else []
            position = data.find(b"\n" + ERROR_PREFIX)
            while position >= 0:
                starts.append(position + 1)
                position = data.find(b"\n" + ERROR_PREFIX, position + 1)
            failures = []
            for start in starts:
                stop = data.find(b"\n", start)
                failures.append(json.loads(data[start:stop if stop >= 0 else size]))
            return lines, failures, data[size - 1:size] == b"\n"


def rename_paths(path, uris):
    """Rewrites an extract output of staged copies with every path the file's URI again; returns its error lines."""
    failures = []
    handle, renamed_path = tempfile.mkstemp(prefix=os.path.basename(path) + ".", dir=os.path.dirname(path))
    try:
        with open(path, "rb") as source, os.fdopen(handle, "wb") as target:
            for line in source:
                line = renamed(line, uris)
                if line.startswith(ERROR_PREFIX):
                    failures.append(json.loads(line))
                target.write(line)
        os.replace(renamed_path, path)
    finally:
        if os.path.exists(renamed_path):
            os.remove(renamed_path)
    return failures


def renamed(line, uris):
    """An extract (or error) line of a staged copy with its path turned back into the file's URI (a page of an
    archive: the archive's URI, `#` and the page's URI)."""
    record = json.loads(line)
    path = record.get("path", "")
    for staged in sorted(uris, key=len, reverse=True):
        if path == staged or path.startswith(staged + "#"):
            record["path"] = uris[staged] + path[len(staged):]
            break
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def partition_result(number, kind, paths, started, pages=0, failures=(), tail=(), error=None, skipped=False):
    return {
        "partition": number, "kind": kind, "inputs": len(paths), "inputs_digest": digest(paths), "pages": pages,
        "failed_records": list(failures), "error": error, "stderr": list(tail), "resumed": skipped,
        "seconds": round(time.time() - started, 3), "complete": error is None,
        "executor_folder": os.getcwd(),
    }


def finished(manifest_path, paths):
    """The manifest of a previous run of this partition over the same inputs, when it finished."""
    try:
        with open(manifest_path, encoding="utf-8") as handle:
            manifest = json.load(handle)
    except (OSError, ValueError):
        return None
    if manifest.get("complete") and manifest.get("inputs_digest") == digest(paths):
        return manifest
    return None


def extract_local(settings):
    """The partition function for paths every executor can read."""

    def run(number, iterator):
        paths = [path for run in iterator for path in run]
        yield extract_partition(settings, number, "local", paths, settings["base"])

    return run


def extract_partition(settings, number, kind, paths, cwd, uris=None):
    started = time.time()
    out = settings["out"]
    names = (SHARD, MANIFEST) if kind == "local" else (STAGED_SHARD, STAGED_MANIFEST)
    shard = os.path.join(out, names[0].format(number))
    manifest_path = os.path.join(out, names[1].format(number))
    if settings["resume"] and os.path.exists(shard):
        previous = finished(manifest_path, paths)
        if previous is not None:
            previous["resumed"] = True
            return previous
    attempt, last = attempt_info()
    try:
        pages, failures, tail = run_extract(executor_binary(), paths, cwd, settings["threads"], shard, uris)
        result = partition_result(number, kind, paths, started, pages, failures, tail)
    except Exception as error:  # noqa: BLE001 - a partition's failure is reported, never lost
        if not last:
            raise  # Spark runs the partition again (a rerun makes the same shard)
        reason = str(error) or type(error).__name__
        result = partition_result(number, kind, paths, started, error=f"attempt {attempt + 1}: {reason}")
    result["attempt"] = attempt + 1
    write_atomically(manifest_path, json.dumps(result, ensure_ascii=False) + "\n")
    return result


def extract_staged(settings):
    """The partition function for files read through Hadoop (`binaryFiles`): each copied to a local folder that
    mirrors its URI (host/path), extracted there, and the paths in the objects turned back into the URIs."""

    def run(number, iterator):
        with tempfile.TemporaryDirectory(prefix="medref-stage-") as stage:
            relative = []
            for uri, content in iterator:
                if uri.startswith("file:/") and not uri.startswith("file://"):
                    uri = "file://" + uri[len("file:"):]  # Hadoop's file:/x is file:///x
                parts = urllib.parse.urlsplit(uri)
                local = (parts.netloc + urllib.parse.unquote(parts.path)).lstrip("/")
                target = os.path.join(stage, local)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as handle:
                    handle.write(content)
                relative.append((uri, local))
            relative.sort()
            result = extract_partition(
                settings, number, "hadoop", [local for _, local in relative], stage,
                {local: uri for uri, local in relative})
        yield result

    return run


# ---------------------------------------------------------------------------------------------------------------
# The job (driver)


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="medref_spark.py", description="MedRef's extraction on Spark: inputs in, extract shards out.")
    parser.add_argument("inputs", nargs="*", metavar="INPUT")
    parser.add_argument("--inputs", dest="inputs_file", metavar="FILE")
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument("--medref", default=".build/release/medref", metavar="PATH")
    parser.add_argument("--partitions", type=int, metavar="N")
    parser.add_argument("--base", default=os.getcwd(), metavar="DIR")
    parser.add_argument("--threads", type=int, metavar="N")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--index", metavar="DB")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--read-file-uris-through-hadoop", dest="hadoop_files", action="store_true")
    arguments = parser.parse_args(argv)
    if arguments.partitions is not None and not 1 <= arguments.partitions <= 100_000:
        raise UsageError("--partitions must be from 1 to 100000")
    if arguments.threads is not None and not 1 <= arguments.threads <= 64:
        raise UsageError("--threads must be from 1 to 64")
    if "://" in arguments.out and not arguments.out.startswith("file://"):
        raise UsageError(
            f"--out {arguments.out}: shards are written by the executors and read by the ingest as files; give a "
            "folder on a file system all of them mount (a local folder in local mode, NFS, EFS, ...)")
    arguments.out = os.path.abspath(urllib.parse.unquote(arguments.out.removeprefix("file://")))
    arguments.base = os.path.abspath(arguments.base)
    if arguments.index:
        arguments.index = os.path.abspath(arguments.index)  # the ingest runs in --base
    if not os.path.isdir(arguments.base):
        raise UsageError(f"--base {arguments.base}: not a folder")
    return arguments


def main(argv):
    try:
        arguments = parse_arguments(argv)
        local, hadoop, missing = read_inputs(
            arguments.inputs, arguments.inputs_file, arguments.base, arguments.hadoop_files)
    except UsageError as error:
        print(f"medref_spark: {error}", file=sys.stderr)
        return 2

    from pyspark.sql import SparkSession

    started = time.time()
    spark = SparkSession.builder.appName("medref-extract").getOrCreate()
    context = spark.sparkContext
    context.setLogLevel("WARN")
    cores = context.defaultParallelism
    task_cpus = int(context.getConf().get("spark.task.cpus", "1"))
    partitions = arguments.partitions or max(1, min(len(local), 4 * cores))
    runs = chunks(local, partitions) if local else []
    settings = {
        "out": arguments.out, "base": arguments.base, "resume": arguments.resume,
        "threads": arguments.threads or task_cpus,
    }
    job = {
        "inputs_digest": digest(local + sorted(hadoop)), "inputs": len(local) + len(hadoop),
        "partitions": len(runs), "base": arguments.base,
    }
    try:
        prepare_output(arguments.out, job, arguments.resume)
    except UsageError as error:
        print(f"medref_spark: {error}", file=sys.stderr)
        spark.stop()
        return 2
    # A partition that fails on its last attempt is reported in the summary instead of stopping the job.
    context.setLocalProperty("medref.maxFailures", context.getConf().get("spark.task.maxFailures", "4"))

    with tempfile.TemporaryDirectory(prefix="medref-spark-") as scratch:
        try:
            bundle = make_bundle(arguments.medref, scratch)
        except UsageError as error:
            print(f"medref_spark: {error}", file=sys.stderr)
            spark.stop()
            return 2
        context.addArchive(os.path.abspath(bundle) + "#" + BUNDLE_NAME)
        results = []
        extract_started = time.time()
        if runs:
            results += (
                context.parallelize(runs, len(runs)).mapPartitionsWithIndex(extract_local(settings)).collect())
        if hadoop:
            staged = context.binaryFiles(",".join(hadoop), minPartitions=max(1, min(len(hadoop), 4 * cores)))
            results += staged.mapPartitionsWithIndex(extract_staged(settings)).collect()
        extract_seconds = time.time() - extract_started
        startup_seconds = extract_started - started
        spark.stop()

        pages = sum(result["pages"] for result in results)
        failed_records = missing + [record for result in results for record in result["failed_records"]]
        failed_partitions = [
            {"partition": result["partition"], "error": result["error"]} for result in results if result["error"]
        ]
        summary = {
            "inputs": len(local) + len(hadoop) + len(missing), "partitions": len(results),
            "resumed_partitions": sum(1 for result in results if result["resumed"]), "pages": pages,
            "failed_records": len(failed_records), "failed_partitions": failed_partitions,
            "failures": failed_records[:1000], "out": arguments.out, "startup_seconds": round(startup_seconds, 3),
            "seconds": round(extract_seconds, 3),
            "pages_per_second": round(pages / extract_seconds, 1) if extract_seconds > 0 else None,
        }
        if arguments.index:
            binary = local_binary(arguments.medref, scratch)
            ingest_started = time.time()
            ingest = subprocess.run(
                [binary, "ingest", "--extracts", "--quiet", "--json", arguments.out, "--index", arguments.index],
                cwd=arguments.base, stdout=subprocess.PIPE)
            try:
                report = json.loads(ingest.stdout)
            except ValueError:
                report = None
            summary["ingest"] = {"index": arguments.index, "exit_status": ingest.returncode,
                                 "seconds": round(time.time() - ingest_started, 3), "report": report}
        write_atomically(os.path.join(arguments.out, SUMMARY), json.dumps(summary, ensure_ascii=False, indent=1) + "\n")

    for failure in failed_records[:20]:
        print(f"medref_spark: {failure.get('path')}: {failure.get('error')}", file=sys.stderr)
    if len(failed_records) > 20:
        print(f"medref_spark: ... and {len(failed_records) - 20} more (see {SUMMARY} and the manifests)",
              file=sys.stderr)
    for failure in failed_partitions:
        print(f"medref_spark: partition {failure['partition']} failed: {failure['error']}", file=sys.stderr)
    if arguments.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(
            f"medref_spark: {pages} pages from {summary['inputs']} inputs in {len(results)} partitions "
            f"({summary['resumed_partitions']} kept from a previous run), {len(failed_records)} failed records, "
            f"{len(failed_partitions)} failed partitions, {extract_seconds:.1f} s; shards in {arguments.out}",
            file=sys.stderr)
        if arguments.index:
            report = summary["ingest"]["report"] or {}
            print(
                f"medref_spark: ingested into {arguments.index}: {len(report.get('added', []))} added, "
                f"{len(report.get('updated', []))} updated, {len(report.get('unchanged', []))} unchanged, "
                f"{len(report.get('failed', []))} failed ({summary['ingest']['seconds']:.1f} s)", file=sys.stderr)
    ingest_failed = arguments.index and summary["ingest"]["exit_status"] != 0
    return 1 if failed_records or failed_partitions or ingest_failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
