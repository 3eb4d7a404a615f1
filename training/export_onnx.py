#!/usr/bin/env python3
"""Export the shipped model (models/) to ONNX for the `onnx` backend: writes models/model.onnx
(f32, dynamic batch and length; inputs ids, piece_shape, word_shape, mask as int64; outputs ner,
pos, chunk logits). The file is generated, not committed (one version of the weights in the tree).

.venv/bin/python training/export_onnx.py      # needs: .venv/bin/pip install onnx onnxscript onnxruntime
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
import train_ner as T  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..")
model = T.load_exported(os.path.join(ROOT, "models"))
B, L = 2, 16
args = (torch.full((B, L), 2000), torch.ones(B, L, dtype=torch.long), torch.ones(B, L, dtype=torch.long),
        torch.ones(B, L, dtype=torch.long))
out = os.path.join(ROOT, "models/model.onnx")
batch, length = torch.export.Dim("batch", min=1, max=4096), torch.export.Dim("length", min=2, max=512)
dims = {"ids": {0: batch, 1: length}, "piece_shape": {0: batch, 1: length},
        "word_shape": {0: batch, 1: length}, "mask": {0: batch, 1: length}}
torch.onnx.export(model, args, out, input_names=["ids", "piece_shape", "word_shape", "mask"],
                  output_names=["ner", "pos", "chunk"], dynamic_shapes=dims, dynamo=True, external_data=False)
print("wrote", out)
