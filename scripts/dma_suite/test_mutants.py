# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the mutant catalogues against this repository's own code:
a mutant of a file the graft puts into the kernel must match that file
exactly once, or make mutants reports it STALE instead of trying it.  (The
kernel's own files, mm/dmapool.c and the drivers, are checked by make
mutants against the managed trees.)"""

import os
import unittest

from .config import REPO
from .mutants import CATALOGUE
from .tree import GRAFT_DIR, grafted_files


class CatalogueTest(unittest.TestCase):
    def test_ids_are_unique_in_each_generation(self):
        ids = [(m['id'], gen) for m in CATALOGUE for gen in m['gens']]
        self.assertEqual(sorted(set(ids)), sorted(ids))

    def test_mutants_of_the_suite_match_their_file_once(self):
        grafted = grafted_files()
        ours = [m for m in CATALOGUE if m.get('file', '').startswith(GRAFT_DIR + '/')]
        self.assertTrue(ours)
        for m in ours:
            with self.subTest(mutant=m['id']):
                self.assertIn(m['file'], grafted)
                with open(os.path.join(REPO, grafted[m['file']])) as f:
                    self.assertEqual(f.read().count(m['find']), 1)


if __name__ == '__main__':
    unittest.main()
