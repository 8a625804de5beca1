#!/usr/bin/env python3
"""Tests of the job's partition logic without a cluster (spark/test-local-cluster runs the job itself): a stand-in
`medref` in the executor's bundle folder prints extract and error lines, fails, or dies halfway through a line.

usage: python3 spark/test_partition.py
"""
import json
import os
import sys
import tempfile
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import medref_spark  # noqa: E402

OBJECT = '{"blocks":[],"id":"Corpus/a","path":"Corpus/a.html","title":"A"}'
ERROR = '{"error":"empty file","path":"Corpus/b.txt"}'


class PartitionTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.root = self.folder.name
        self.out = os.path.join(self.root, "out")
        os.makedirs(self.out)
        os.makedirs(os.path.join(self.root, "medref"))
        self.previous = os.getcwd()
        os.chdir(self.root)  # the executor's folder, where Spark unpacks the bundle
        self.settings = {"out": self.out, "base": self.root, "resume": False, "threads": 1}

    def tearDown(self):
        os.chdir(self.previous)
        self.folder.cleanup()

    def stand_in(self, script):
        path = os.path.join(self.root, "medref", "medref")
        with open(path, "w") as handle:
            handle.write("#!/bin/sh\n" + script + "\n")
        os.chmod(path, 0o755)

    def shard(self, number=0):
        return os.path.join(self.out, medref_spark.SHARD.format(number))

    def manifest(self, number=0):
        with open(os.path.join(self.out, medref_spark.MANIFEST.format(number))) as handle:
            return json.load(handle)

    def test_objects_go_to_the_shard_and_error_lines_are_listed(self):
        self.stand_in(f"echo '{OBJECT}'; echo '{ERROR}'; echo 'Corpus/b.txt: empty file' >&2; exit 1")
        result = medref_spark.extract_partition(self.settings, 0, "local", ["Corpus/a.html", "Corpus/b.txt"], ".")
        self.assertEqual(result["pages"], 1)
        self.assertEqual(result["failed_records"], [{"error": "empty file", "path": "Corpus/b.txt"}])
        self.assertTrue(result["complete"])
        with open(self.shard()) as handle:
            self.assertEqual(handle.read(), OBJECT + "\n" + ERROR + "\n", "the ingest reports the error line too")
        self.assertEqual(self.manifest()["inputs_digest"], medref_spark.digest(["Corpus/a.html", "Corpus/b.txt"]))
        self.assertEqual(os.listdir(self.out).count(".part-00000.jsonl.tmp"), 0)

    def test_error_lines_are_found_first_last_and_between_blocks(self):
        big = '{"blocks":"' + "x" * (medref_spark.READ_SIZE - 5) + '"}'
        error2 = ERROR.replace("b.txt", "c.txt")
        self.stand_in(f"echo '{ERROR}'; echo '{big}'; echo '{OBJECT}'; printf '%s\\n' '{error2}'; exit 1")
        result = medref_spark.extract_partition(self.settings, 0, "local", ["x"], ".")
        self.assertEqual(result["pages"], 2)
        self.assertEqual([failure["path"] for failure in result["failed_records"]], ["Corpus/b.txt", "Corpus/c.txt"])

    def test_the_threads_reach_medref(self):
        self.stand_in(f"[ \"$MEDREF_THREADS\" = 3 ] && echo '{OBJECT}'")
        settings = dict(self.settings, threads=3)
        self.assertEqual(medref_spark.extract_partition(settings, 0, "local", ["x"], ".")["pages"], 1)

    def test_a_process_that_dies_mid_line_keeps_the_old_shard_and_fails_the_partition(self):
        with open(self.shard(), "w") as handle:
            handle.write(OBJECT + "\n")
        self.stand_in(f"echo '{OBJECT}'; printf '{{\"blocks\":['; kill -9 $$")
        result = medref_spark.extract_partition(self.settings, 0, "local", ["Corpus/a.html"], ".")
        self.assertFalse(result["complete"])
        self.assertIn("exit status -9", result["error"])
        self.assertIn("output cut", result["error"])
        self.assertFalse(self.manifest()["complete"])
        with open(self.shard()) as handle:
            self.assertEqual(handle.read(), OBJECT + "\n")
        self.assertEqual([name for name in os.listdir(self.out) if name.endswith(".tmp")], [])

    def test_a_failure_before_the_last_attempt_is_raised_for_spark_to_retry(self):
        self.stand_in("exit 3")
        with mock.patch.object(medref_spark, "attempt_info", return_value=(0, False)):
            with self.assertRaisesRegex(RuntimeError, "exit status 3"):
                medref_spark.extract_partition(self.settings, 0, "local", ["x"], ".")
        self.assertFalse(os.path.exists(os.path.join(self.out, medref_spark.MANIFEST.format(0))))

    def test_a_listing_failure_without_an_error_line_is_still_listed(self):
        self.stand_in("echo 'gone: no such file or directory' >&2; exit 1")
        result = medref_spark.extract_partition(self.settings, 0, "local", ["gone"], ".")
        self.assertEqual(len(result["failed_records"]), 1)
        self.assertIn("no such file", result["failed_records"][0]["error"])

    def test_resume_keeps_a_finished_partition_of_the_same_inputs_only(self):
        self.stand_in(f"echo '{OBJECT}'")
        medref_spark.extract_partition(self.settings, 0, "local", ["a"], ".")
        self.stand_in("exit 3")  # would fail if it ran
        resumed = medref_spark.extract_partition(dict(self.settings, resume=True), 0, "local", ["a"], ".")
        self.assertTrue(resumed["resumed"])
        other = medref_spark.extract_partition(dict(self.settings, resume=True), 0, "local", ["b"], ".")
        self.assertFalse(other["complete"])

    def test_staged_paths_become_uris_again(self):
        uris = {"nn:8020/crawl/a.warc.gz": "hdfs://nn:8020/crawl/a.warc.gz", "nn:8020/p.html": "hdfs://nn:8020/p.html"}
        page = b'{"id":"example.org/x","path":"nn:8020/crawl/a.warc.gz#http://example.org/x.html"}\n'
        self.assertEqual(json.loads(medref_spark.renamed(page, uris))["path"],
                         "hdfs://nn:8020/crawl/a.warc.gz#http://example.org/x.html")
        self.assertEqual(json.loads(medref_spark.renamed(b'{"path":"nn:8020/p.html"}\n', uris))["path"],
                         "hdfs://nn:8020/p.html")
        self.assertEqual(json.loads(medref_spark.renamed(b'{"path":"nn:8020/p.html.bak"}\n', uris))["path"],
                         "nn:8020/p.html.bak")


class PlanTests(unittest.TestCase):
    def test_chunks_keep_the_order_and_differ_by_at_most_one(self):
        runs = medref_spark.chunks(list(range(10)), 3)
        self.assertEqual(runs, [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]])
        self.assertEqual(medref_spark.chunks([1, 2], 5), [[1], [2]])

    def test_inputs_are_classified(self):
        self.assertEqual(medref_spark.classify("Corpus/a.html", False), ("local", "Corpus/a.html"))
        self.assertEqual(medref_spark.classify("file:///data/a%20b.warc.gz", False), ("local", "/data/a b.warc.gz"))
        self.assertEqual(medref_spark.classify("file:///data/a.warc.gz", True), ("hadoop", "file:///data/a.warc.gz"))
        self.assertEqual(medref_spark.classify("s3a://bucket/a.warc.gz", False), ("hadoop", "s3a://bucket/a.warc.gz"))

    def test_a_folder_of_another_job_is_refused(self):
        with tempfile.TemporaryDirectory() as out:
            medref_spark.prepare_output(out, {"inputs_digest": "a", "partitions": 2}, False)
            medref_spark.prepare_output(out, {"inputs_digest": "a", "partitions": 2}, True)
            with self.assertRaisesRegex(medref_spark.UsageError, "another job"):
                medref_spark.prepare_output(out, {"inputs_digest": "a", "partitions": 3}, False)

    def test_absurd_options_are_usage_errors(self):
        for argv in (["--out", "o", "--partitions", "0", "x"], ["--out", "o", "--threads", "999", "x"],
                     ["--out", "hdfs://nn/out", "x"]):
            with self.assertRaises(medref_spark.UsageError):
                medref_spark.parse_arguments(argv)


if __name__ == "__main__":
    unittest.main(verbosity=1)
