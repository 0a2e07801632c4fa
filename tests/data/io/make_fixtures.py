#!/usr/bin/env python3
"""Regenerates the PyTorch-written fixtures of tests/io (run with Debian's
python3-torch 1.13: /usr/bin/python3 make_fixtures.py). The C++ tests check
the exact values below, so keep both in step."""
import collections
import torch

torch.manual_seed(0)

# A real state_dict(): OrderedDict with _metadata, parameters and a buffer.
net = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.LayerNorm(2))
net.register_buffer("mask", torch.tril(torch.ones(1, 1, 3, 3)))
with torch.no_grad():
    net[0].weight.copy_(torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4)
    net[0].bias.copy_(torch.tensor([-1.0, 1.0]))
sd = net.state_dict()
assert hasattr(sd, "_metadata")
# Every storage dtype the reader supports.
sd["f16"] = torch.tensor([0.5, -2.0, 65504.0], dtype=torch.float16)
sd["bf16"] = torch.tensor([1.0, -3.5], dtype=torch.bfloat16)
sd["f64"] = torch.tensor([[1.25, -1e300]], dtype=torch.float64)
sd["i64"] = torch.tensor([-(2**40), 7], dtype=torch.int64)
sd["i32"] = torch.tensor([-5, 2**30], dtype=torch.int32)
sd["i16"] = torch.tensor([-300, 300], dtype=torch.int16)
sd["i8"] = torch.tensor([-128, 127], dtype=torch.int8)
sd["u8"] = torch.tensor([0, 255], dtype=torch.uint8)
sd["bool"] = torch.tensor([True, False, True])
sd["scalar"] = torch.tensor(3.0)
# Views: a transpose (non-contiguous) and a slice with an offset, both of one storage.
base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
sd["base"] = base
sd["transposed"] = base.t()
sd["row2"] = base[2]
sd["expanded"] = torch.tensor([1.5]).expand(4, 5)
torch.save(sd, "py_state_dict.pt")

# A plain dict (not an OrderedDict).
torch.save({"a": torch.ones(2, 2), "b": torch.zeros(3, dtype=torch.int64)}, "py_plain_dict.pt")

# entity2vec variants: a bare tensor, a list of lists, an OpenKE-style dict.
table = torch.arange(8, dtype=torch.float32).reshape(4, 2) / 2
torch.save(table, "py_tensor.pt")
torch.save(table.tolist(), "py_list.pt")
torch.save({"ent_embeddings.weight": table, "rel_embeddings.weight": torch.zeros(2, 2)}, "py_openke.pt")

# The pre-1.6 format, which must be refused.
torch.save({"a": torch.ones(1)}, "py_legacy.pt", _use_new_zipfile_serialization=False)
