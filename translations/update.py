#!/usr/bin/env python3
"""Regenerates translations/shenbi_{zh_CN,en}.ts from the ui/ sources.

Qt 6.4's lupdate does not understand `namespace shenbi::ui {`, so it files
strings under the bare class name while tr() looks them up under
`shenbi::ui::Class`; this script runs lupdate, fixes the contexts, and
fills the Chinese (and English plural) translations from the tables below.
Usage: python3 translations/update.py   (from the repository root)
"""
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUPDATE = "/usr/lib/qt6/bin/lupdate"

ZH = {
    "#%1 · %2/%3": "#%1 · %2/%3",
    "#%1 · seed %2": "#%1 · 种子 %2",
    "Candidate %1\nSeed %2 (its own; the request's seed %3 draws it again as #%1)\n"
    "%4Double-click to enlarge, S to star, drag to export":
        "候选 %1\n种子 %2（它自己的；用这次请求的种子 %3 会在 #%1 处再次画出它）\n%4双击放大，按 S 加星标，拖出即可导出",
    "Seed %1 fixed: the same prompt and settings draw these candidates again":
        "种子 %1 已固定：同样的提示词和设置会再次画出这些候选",
    "Model's certainty %1 nats per code (higher: surer)\n": "模型的把握 %1 奈特/码（越高越有把握）\n",
    "Enlarge": "放大查看",
    "Recommended by the model %1": "模型 %1 推荐的设置",
    "Compare selected (%1)": "对比所选（%1）",
    "Remove star": "取消星标",
    "Star": "加星标",
    "Copy image": "复制图像",
    "Export…": "导出…",
    "Reuse this request's seed": "重用这次请求的种子",
    "Negative": "反向提示词",
    "e.g. 红色": "例如：红色",
    "What the images should not show: guidance steers away from this prompt instead of an empty one, "
    "e.g. 红色 (the bundled model draws a single object in its usual colour about half as often).":
        "图像中不要出现的东西：引导会远离这段提示词，而不是远离空提示词，例如“红色”（默认模型画单个物体时，画成它常见颜色的次数约少一半）。",
    "A negative prompt needs guidance above 1 (off): guidance is what steers away from it.":
        "反向提示词需要引导强度大于 1（关闭）：远离它的正是引导。",
    "%1\nNegative prompt: %2": "%1\n反向提示词：%2",
    "Run next": "下一个运行",
    "Keyboard shortcuts": "键盘快捷键",
    "Ctrl+click": "Ctrl+点击",
    "Prompt: cycle through overlapping entities": "提示词：在重叠的实体之间切换",
    "Up / Down": "上 / 下",
    "Prompt: earlier prompts": "提示词：之前的提示词",
    "Gallery: star or unstar the selected candidates": "候选区：给所选候选加上或取消星标",
    "Enter / Space / double-click": "回车 / 空格 / 双击",
    "Gallery: enlarge": "候选区：放大查看",
    "Close a popup (never cancels a generation)": "关闭弹出框（不会取消生成）",
    "Only requests with a starred candidate": "只显示有星标候选的请求",
    "Show more": "显示更多",
    "List %n older request(s)": ["再列出 %n 个更早的请求"],
    "Move the selected waiting requests to the front of the queue": "把选中的等待中请求移到队列最前面",
    "Move up": "上移",
    "Move down": "下移",
    "Generate next (front of the queue)": "下一个生成（排到队列最前面）",
    "Queued next (%n waiting).": ["已排到下一个（%n 个等待中）。"],
    "Past the model's token limit: this text is not used.": "超出模型的词元上限：这部分文字不会被使用。",
    "Export %n image(s)": ["导出 %n 张图像"],
    "PNG (lossless, iTXt record)": "PNG（无损，iTXt 记录）",
    "JPEG (EXIF + XMP record)": "JPEG（EXIF + XMP 记录）",
    "WebP (EXIF + XMP record)": "WebP（EXIF + XMP 记录）",
    "Format": "格式",
    "Upscale": "放大",
    "Lanczos (smooth)": "Lanczos（平滑）",
    "Nearest (pixel art)": "最近邻（像素风）",
    "Filter": "滤波",
    "Fields: {date} {time} {prompt} {seed} {cseed} {index} {model} {id}":
        "可用字段：{date} {time} {prompt} {seed} {cseed} {index} {model} {id}",
    "File name": "文件名",
    "Export folder": "导出文件夹",
    "Folder": "文件夹",
    "No model is loaded.": "尚未加载模型。",
    "cancelled": "已取消",
    "failed": "失败",
    "running": "进行中",
    "interrupted": "已中断",
    "Search prompts…": "搜索提示词…",
    "%n image(s)": ["%n 张图像"],
    "%1\nSeed %2 · model %3": "%1\n种子 %2 · 模型 %3",
    "Show candidates": "显示候选图",
    "Use prompt": "使用提示词",
    "Use seed": "使用种子",
    "Use all parameters": "使用全部参数",
    "Delete from history": "从历史中删除",
    "Compare candidates": "对比候选图",
    "Candidate": "候选图",
    "%1 s": "%1 秒",
    "%1 min %2 s": "%1 分 %2 秒",
    "Shenbi 神笔 — knowledge-enhanced Chinese text-to-image": "神笔 Shenbi — 知识增强的中文文生图",
    "Knowledge graph not loaded: %1": "知识图谱未加载：%1",
    "Generate": "生成",
    "Generate (Ctrl+Enter). While a request runs, this adds to the queue.": "生成（Ctrl+Enter）。已有任务运行时，新请求加入队列。",
    "Cancel": "取消",
    "Stop the running request (Ctrl+.); queued ones stay.": "停止正在运行的请求（Ctrl+.）；排队中的请求保留。",
    "Quit while generating?": "正在生成，要退出吗？",
    "%1 elapsed · estimating…": "已用 %1 · 正在估算剩余时间…",
    "Removed %n invisible or control character(s) from the pasted text.": "已从粘贴的文本中移除 %n 个不可见字符或控制字符。",
    "A request is running. Quit and cancel it?": "有一个请求正在运行。退出并取消它吗？",
    "A request is running, with %n more in the queue. Quit and cancel them?":
        "有一个请求正在运行，另有 %n 个在排队。退出并全部取消吗？",
    "%v / %m tokens": "%v / %m 个图像词元",
    "Parameters": "参数",
    "History": "历史",
    "Queue": "队列",
    "&File": "文件(&F)",
    "&Import parameters from image…": "从图像导入参数(&I)…",
    "&Export selected…": "导出所选(&E)…",
    "&Quit": "退出(&Q)",
    "&Generate": "生成(&G)",
    "Cancel running": "取消当前任务",
    "Cancel all": "全部取消",
    "&Models": "模型(&M)",
    "Model manager…": "模型管理…",
    "&View": "视图(&V)",
    "&Settings": "设置(&S)",
    "Preferences…": "首选项…",
    "&Help": "帮助(&H)",
    "About Shenbi": "关于神笔",
    "<h3>Shenbi 神笔 %1</h3><p>Knowledge-enhanced Chinese text-to-image generation: a native re-implementation of ARTIST (Alibaba EasyNLP).</p><p>Entities of the prompt are linked to a knowledge graph; hover an underlined word to see what the model is told.</p><p>Licence: Apache-2.0.</p><p>Bundled model: %2<br>Knowledge graph: %3</p>":
        "<h3>神笔 Shenbi %1</h3><p>知识增强的中文文生图：ARTIST（阿里巴巴 EasyNLP）的原生重新实现。</p><p>提示词中的实体会链接到知识图谱；把鼠标悬停在带下划线的词上，即可看到模型获得的知识。</p><p>许可证：Apache-2.0。</p><p>自带模型：%2<br>知识图谱：%3</p>",
    "not found": "未找到",
    "About": "关于",
    "Credits and licences": "致谢与许可证",
    "Component": "组件",
    "Used for": "用途",
    "Licence": "许可证",
    "Source": "来源",
    "images the bundled model was trained on": "自带模型的训练图像",
    "Chinese emoji names and keywords (captions), territories and languages (knowledge graph)":
        "中文表情名称和关键词（图像描述），国家地区与语言（知识图谱）",
    "emoji groups and subgroups (knowledge graph)": "表情的大类和子类（知识图谱）",
    "emoji code points and image names": "表情的码位和图像文件名",
    "Chinese aliases and categories of emoji (knowledge graph)": "表情的中文别名和类别（知识图谱）",
    "traditional to simplified Chinese conversion of the graph's words": "知识图谱词语的繁简转换",
    "the model architecture and checkpoint format re-implemented": "重新实现的模型结构和检查点格式",
    "user interface": "用户界面",
    "neural network engine": "神经网络引擎",
    "matrix products on the CPU": "CPU 上的矩阵乘法",
    "image encoding and resizing": "图像编码和缩放",
    "coroutines over Qt": "基于 Qt 的协程",
    "model and metadata files": "模型和元数据文件",
    "Knowledge: %1": "知识：%1",
    "Loading model…": "正在加载模型…",
    "Model not loaded: %1": "模型未加载：%1",
    "No model": "无模型",
    "Model: %1 · %2 px · %3": "模型：%1 · %2 像素 · %3",
    " · random weights": " · 随机权重",
    "Random weights: the pictures are noise. Open a trained model in Models → Model manager.":
        "随机权重：画出的只是噪声。请在“模型 → 模型管理”中打开训练好的模型。",
    "Checksum %1\nFusion %2": "校验和 %1\n融合方式 %2",
    "Type a prompt first.": "请先输入提示词。",
    "No model is loaded yet.": "模型尚未加载。",
    "Queued (%n waiting).": ["已加入队列（%n 个等待中）。"],
    "Cancelling…": "正在取消…",
    "Starting…": "正在开始…",
    "%1 elapsed · %2 left": "已用 %1 · 剩余 %2",
    "Done in %1 · %2 ms/token": "完成，用时 %1 · 每词元 %2 毫秒",
    "Cancelled": "已取消",
    "Failed": "失败",
    "Generation failed: %1": "生成失败：%1",
    "Add to queue": "加入队列",
    "Add to queue (%1)": "加入队列（%1）",
    "Prompt tokens / the model's text length.": "提示词词元数 / 模型的文本长度。",
    "Too long: %n token(s) past the limit will be dropped (shown struck out).": ["太长：超出上限的 %n 个词元将被丢弃（以删除线显示）。"],
    "Close to the limit: text after %1 tokens is dropped.": "接近上限：第 %1 个词元之后的文字将被丢弃。",
    "Cannot read %1": "无法读取 %1",
    "%1 has no generation parameters.": "%1 不含生成参数。",
    "Parameters restored from %1 (Ctrl+Z in the prompt brings the previous text back)":
        "已从 %1 恢复参数（在提示词框中按 Ctrl+Z 可找回之前的文字）",
    "made with model %1, not the open one: the same seed draws other images":
        "由模型 %1 生成，不是当前打开的模型：同样的种子会画出不同的图像",
    "OpenCV cannot encode %1": "OpenCV 无法编码 %1",
    "could not embed the record into the %1 file": "无法把生成记录写入 %1 文件",
    "cannot create %1": "无法创建 %1",
    "cannot write %1: %2": "无法写入 %1：%2",
    "could not build a random '%1' model": "无法构建随机权重的“%1”模型",
    "Image with generation parameters": "含生成参数的图像",
    "Images (*.png *.jpg *.jpeg *.webp)": "图像 (*.png *.jpg *.jpeg *.webp)",
    "Import parameters": "导入参数",
    "Nothing to export yet.": "还没有可导出的图像。",
    "Export": "导出",
    "Exported %n image(s) to %1": ["已导出 %n 张图像到 %1"],
    "Image copied": "图像已复制",
    "Imported into %1": "已导入到 %1",
    "Models": "模型",
    "Load": "加载",
    "Add model folder…": "添加模型文件夹…",
    "Import EasyNLP folder…": "导入 EasyNLP 文件夹…",
    "Forget": "移除",
    "Shenbi or EasyNLP model folder": "神笔或 EasyNLP 模型文件夹",
    "EasyNLP ARTIST folder (pytorch_model.bin, config.json, vocab.txt)": "EasyNLP ARTIST 文件夹（pytorch_model.bin、config.json、vocab.txt）",
    "No model loaded.": "尚未加载模型。",
    "<b>%1</b><br>checksum %2 · %3 px · %4 text tokens · fusion %5 · %6":
        "<b>%1</b><br>校验和 %2 · %3 像素 · %4 个文本词元 · 融合 %5 · %6",
    "Random weights, small (64 px demo, no training)": "随机权重，small（64 像素演示，未训练）",
    "Random weights, tiny (16 px, for testing)": "随机权重，tiny（16 像素，仅供测试）",
    "Images sampled together in one batch for each request.": "每个请求在同一批中采样的图像数。",
    "Candidates": "候选数",
    "Candidate i uses a seed derived from this one, so a request is reproducible.": "第 i 张候选图使用由此派生的种子，因此请求可以复现。",
    "New random seed": "新的随机种子",
    "Fixed": "固定",
    "Keep this seed for every request (otherwise a new one is drawn each time).": "每次请求都使用此种子（否则每次随机抽取新种子）。",
    "Reuse the seed of the last request": "沿用上一次请求的种子",
    "Seed": "种子",
    "Lower: safer, more repetitive images. Higher: more varied, noisier.": "较低：更稳妥、更雷同；较高：更多样、更嘈杂。",
    "Temperature": "温度",
    "off": "关",
    "Sample each image token among the k most likely codes (0 = all).": "每个图像词元只在概率最高的 k 个码中采样（0 = 全部）。",
    "Top-k": "Top-k",
    "Nucleus sampling: the smallest set of codes whose probability reaches p (1 = off).": "核采样：概率累计达到 p 的最小码集（1 = 关闭）。",
    "Top-p": "Top-p",
    "Guidance": "引导强度",
    "Best of": "优中选优",
    "Sample this many images per candidate and keep those the model is surest of given the prompt. Slower by the same factor; 1 = off.": "每个候选采样这么多张，只保留模型对提示词最有把握的那些。耗时按同样倍数增加；1 = 关闭。",
    "%1 was written by a newer Shenbi (history format %2; this one reads up to %3), so it is left untouched": "%1 由更新版本的神笔写入（历史格式 %2；本版本最多读取 %3），因此不作任何改动",
    "History is off: %1": "历史记录已关闭：%1",
    "Classifier-free guidance: how much more closely the images follow the prompt than an empty one. Higher: closer to the prompt, less varied; 1 = off. Costs a second pass per token.": "无分类器引导：图像比空提示词更贴近提示词的程度。越高越贴近提示词，但变化越少；1 = 关闭。每个词元多算一遍。",
    "Use the knowledge graph": "使用知识图谱",
    "Feed the linked entities' TransE vectors to the model (ARTIST).": "把链接实体的 TransE 向量输入模型（ARTIST）。",
    "How entity vectors reach the GPT; fixed by the loaded model.": "实体向量进入 GPT 的方式；由已加载的模型决定。",
    "Fusion": "融合方式",
    "none": "无",
    "Describe the picture in Chinese, e.g. %1 (Ctrl+Enter to generate)": "用中文描述画面，例如：%1（Ctrl+Enter 生成）",
    "Describe the picture in Chinese (Ctrl+Enter to generate)": "用中文描述画面（Ctrl+Enter 生成）",
    "Draws well: %1": "擅长：%1",
    "no model.json or pytorch_model.bin here": "此处没有 model.json 或 pytorch_model.bin",
    "%1 (EasyNLP, used in place)": "%1（EasyNLP，原位使用）",
    "%1 (cannot be read: %2)": "%1（无法读取：%2）",
    "%1 — bundled default model": "%1 — 内置默认模型",
    "%1 (open)": "%1（当前）",
    "%1 (LoRA on %2)": "%1（基于 %2 的 LoRA）",
    "adapter.json names no base model": "adapter.json 未指明基础模型",
    "Import EasyNLP model": "导入 EasyNLP 模型",
    "Converting %1 writes a copy of about %2 into %3 (%4 free there).\n\nOr use the folder where it is: nothing is copied, it is converted each time it is loaded, and it must stay in place.":
        "转换 %1 会在 %3 写入约 %2 的副本（该处剩余 %4）。\n\n也可以原位使用该文件夹：不复制，每次加载时转换，文件夹须保留在原处。",
    "Convert into a copy": "转换为副本",
    "Use in place": "原位使用",
    "There is not enough free space for a copy.": "剩余空间不足以存放副本。",
    "Untrained: draws noise. For trying the studio and for tests.": "未训练：只会画出噪声。用于试用工作室和测试。",
    "This model says nothing about what it draws.": "此模型未说明它能画什么。",
    "linked": "已链接",
    "not linked": "未链接",
    "No relations in the graph.": "图谱中没有相关关系。",
    "Ctrl+click cycles through the overlapping entities.": "Ctrl+单击可在重叠的实体之间切换。",
    "Ctrl+click to unlink or link again.": "Ctrl+单击可取消链接或重新链接。",
    "Knowledge": "知识",
    "Unlink “%1”": "取消链接“%1”",
    "Link “%1”": "链接“%1”",
    "Link all entities again": "重新链接所有实体",
    "Cancel selected": "取消所选",
    "queued": "排队中",
    "%1 · %2 · %n image(s)": ["%1 · %2 · %n 张图像"],
    "Preferences": "首选项",
    "Follow the system": "跟随系统",
    "Language": "语言",
    "CPU": "CPU",
    "Device": "设备",
    "Threads for generation on the CPU. One core is left to the window by default.": "CPU 上生成使用的线程数。默认留出一个核心给界面。",
    "CPU threads": "CPU 线程数",
    "A new language applies when the window reopens, a new device or weights when the model reloads (done for you).":
        "新的语言在窗口重新打开时生效，新的设备或权重在模型重新加载时生效（会自动完成）。",
    "Automatic (int8 on this kind of CPU, else fp32)": "自动（此类 CPU 上用 int8，否则 fp32）",
    "fp32 (exact)": "fp32（精确）",
    "int8 (fast on the CPU, nearly exact)": "int8（CPU 上快，几乎精确）",
    "w8a8 (int8 activations too: faster, less exact)": "w8a8（激活也用 int8：更快，不那么精确）",
    "bf16": "bf16",
    "int8 draws nearly the same pictures as fp32 (the same code at 99% of steps on the bundled model) two to three times faster on the CPU. w8a8, where this CPU offers it, is faster still and follows fp32 less closely (97% of steps). GPUs use fp32.":
        "int8 画出的图与 fp32 几乎相同（内置模型上 99% 的步骤选出相同的编码），在 CPU 上快两到三倍。"
        "w8a8（仅在此 CPU 支持时提供）更快，但与 fp32 的一致程度较低（97% 的步骤）。GPU 使用 fp32。",
    "Weights": "权重",
    "bf16 mixed precision (faster on this CPU)": "bf16 混合精度（在此 CPU 上更快）",
    "The forward pass computes in bf16 where this CPU does it natively (AMX or AVX512_BF16); the weights and the optimizer stay fp32. Training on a GPU ignores it.":
        "前向计算在此 CPU 原生支持时（AMX 或 AVX512_BF16）使用 bf16；权重和优化器仍为 fp32。在 GPU 上训练时忽略此项。",
    # Fine-tune wizard
    "the caption is empty": "图像描述为空",
    "%n image(s), %1 usable, %2 left out": ["%n 张图像，%1 张可用，%2 张已排除"],
    "Sizes: %1": "尺寸：%1",
    "TSV files (*.tsv);;All files (*)": "TSV 文件 (*.tsv);;所有文件 (*)",
    "Your images": "你的图像",
    "The pictures to train on, each with a caption: what you would type to get it.":
        "用于训练的图像，每张配一段描述：也就是你想画出它时会输入的文字。",
    "A folder of images with same-named .txt captions": "图像文件夹，描述放在同名的 .txt 文件中",
    "EasyNLP TSV files": "EasyNLP TSV 文件",
    "Double-click a caption to correct it: it is saved to its .txt file.": "双击描述即可修改，修改会保存到对应的 .txt 文件。",
    "Optional": "可选",
    "Training": "训练",
    "Validation": "验证",
    "Images held out to measure how well training generalises; they are not trained on.":
        "留出的图像用于衡量训练的泛化效果，不参与训练。",
    "Hold out for validation": "留作验证集",
    "Browse…": "浏览…",
    "Folder of images and captions": "图像和描述所在的文件夹",
    "Training TSV": "训练 TSV",
    "Validation TSV": "验证 TSV",
    "Cannot check the folder %1: %2": "无法检查文件夹 %1：%2",
    "Cannot save the caption of %1 to %2: %3": "无法把 %1 的描述保存到 %2：%3",
    "Left out: %1: %2": "已排除：%1：%2",
    "Warning: %1: %2": "警告：%1：%2",
    "Checking %1…": "正在检查 %1…",
    "No images (png, jpg, jpeg, webp, bmp) in %1.": "%1 中没有图像（png、jpg、jpeg、webp、bmp）。",
    "%1 for training, %2 for validation": "%1 张用于训练，%2 张用于验证",
    "Fine-tune on your images — %1": "用你的图像微调 — %1",
    "Training is running": "训练正在进行",
    "Stop training for now? It is kept at its last checkpoint, and Shenbi offers to continue it the next time it starts.":
        "暂时停止训练吗？训练保留在最近的检查点，神笔下次启动时会提示你继续。",
    "Your model": "你的模型",
    "Choose the weights to keep and a name; the model then appears in the model manager.":
        "选择要保留的权重并起个名字，模型随后会出现在模型管理中。",
    "Add to my models": "添加到我的模型",
    "Weights": "权重",
    "Name": "名称",
    "Open it in the studio now": "立即在工作室中打开",
    "Open in the studio": "在工作室中打开",
    "Export as command": "导出为命令",
    "The same run from a terminal (it resumes from the run's checkpoints):": "在终端中运行同一次训练（会从这次训练的检查点继续）：",
    "Copy": "复制",
    "Lowest validation loss (%1)": "验证损失最低（%1）",
    "Last weights (step %1)": "最后的权重（第 %1 步）",
    "Could not create the folder %1": "无法创建文件夹 %1",
    "Could not add the model: %1": "无法添加模型：%1",
    "Give the model a name.": "请为模型起个名字。",
    "The name may not contain “/”.": "名称中不能包含“/”。",
    "(the first %1 rows of the TSV)": "（TSV 的前 %1 行）",
    "%1 — %n caption(s)": ["%1 — %n 条描述"],
    "Head": "头实体",
    "Relation": "关系",
    "Tail": "尾实体",
    "What the model's knowledge graph finds in your captions, and your own facts for what it lacks.":
        "模型的知识图谱在你的描述中找到了什么，以及你为它补充的事实。",
    "What the model already knows": "模型已有的知识",
    "This model has no knowledge graph: triples cannot reach it": "此模型没有知识图谱：三元组无法传给它",
    "Most linked entities": "链接最多的实体",
    "Words that link nothing": "未链接到实体的词",
    "Your own triples": "你的三元组",
    "One fact per row: a head, a relation and a tail, e.g. %1.": "每行一条事实，依次为头实体、关系和尾实体，例如：%1。",
    "Add row": "添加行",
    "Remove row": "删除行",
    "Load TSV…": "加载 TSV…",
    "Counting the entities your captions link…": "正在统计描述中链接到的实体…",
    "Cannot count the entities of the captions: %1": "无法统计描述中的实体：%1",
    "%1 of %2 captions link an entity": "%2 条描述中有 %1 条链接到实体",
    "Triples file": "三元组文件",
    "Triples (*.tsv *.txt *.csv);;All files (*)": "三元组 (*.tsv *.txt *.csv);;所有文件 (*)",
    "Cannot load the triples: %1": "无法加载三元组：%1",
    "New names (get knowledge vectors when training starts): %1": "新名称（训练开始时获得知识向量）：%1",
    "Row %1: the head is empty": "第 %1 行：头实体为空",
    "Row %1: the relation is empty": "第 %1 行：关系为空",
    "Row %1: the tail is empty": "第 %1 行：尾实体为空",
    "No run folder is set.": "尚未设置训练文件夹。",
    "Cannot create the run folder %1": "无法创建训练文件夹 %1",
    "Cannot write %1: %2": "无法写入 %1：%2",
    "Cannot copy your triples to %1": "无法把你的三元组复制到 %1",
    "Fine-tune on my images…": "用我的图像微调…",
    "A fine-tune is already running.": "已有一个微调正在运行。",
    "Unfinished fine-tune": "未完成的微调",
    "A fine-tune did not finish:\n%1\n\nContinue it from its last checkpoint, with the same settings?":
        "有一个微调没有完成：\n%1\n\n要以相同的设置从最近的检查点继续吗？",
    "Continue": "继续",
    "Later": "稍后",
    "Forget it": "不再提醒",
    "Cannot continue the fine-tune": "无法继续微调",
    "Quit while fine-tuning?": "正在微调，要退出吗？",
    "A fine-tune is running. Quit? It is kept at its last checkpoint, and Shenbi offers to continue it the next time it starts.":
        "微调正在运行。要退出吗？训练保留在最近的检查点，神笔下次启动时会提示你继续。",
    "%1 h %2 min": "%1 小时 %2 分",
    "Method and settings": "方法与设置",
    "How the model learns your images, and for how long. The time estimates come from training steps measured on this computer.":
        "模型如何学习你的图像，以及学习多久。预计用时来自在本机上实测的训练步。",
    "Method": "方法",
    "Full fine-tune: every weight of the GPT learns (saves a whole model)": "完整微调：GPT 的每个权重都参与学习（保存整个模型）",
    "LoRA adapters: small matrices beside the GPT's attention and MLP layers learn (saves a few MB, opened on top of the base model)":
        "LoRA 适配器：在 GPT 的注意力层和 MLP 层旁学习小矩阵（只保存几 MB，在基础模型之上打开）",
    "Rank": "秩",
    "Alpha": "Alpha",
    "How long": "训练时长",
    "Quick": "快速",
    "Balanced": "均衡",
    "Thorough": "充分",
    "Advanced settings": "高级设置",
    "at the end only": "仅在结束时",
    "One prompt per line; sampled at every validation": "每行一条提示词；每次验证时采样",
    "automatic": "自动",
    "Learning rate": "学习率",
    "Steps": "步数",
    "Batch size": "批大小",
    "Validate and sample every": "验证和采样间隔（步）",
    "Checkpoint every": "检查点间隔（步）",
    "Early stop after (validations without improvement)": "提前停止（连续无改进的验证次数）",
    "Sample prompts": "采样提示词",
    "Run folder": "训练文件夹",
    "%n epochs": ["%n 轮"],
    "%1, %2 steps": "%1，%2 步",
    ", about %1": "，约 %1",
    " (stops early when validation stops improving)": "（验证不再改进时提前停止）",
    "Measuring a few training steps on this computer…": "正在本机上实测几个训练步…",
    "%1 s per step of %2 images, measured here. The estimates cover the training steps; validation and samples add to them.":
        "本机实测：每步（%2 张图像）%1 秒。预计用时只含训练步，验证和采样另需时间。",
    "Could not measure a training step: %1": "无法实测训练步：%1",
    "Seed %1: must be a whole number of 0 or more": "种子 %1：必须是不小于 0 的整数",
    "The model learns from your images. You can keep using the studio meanwhile.":
        "模型正在学习你的图像。在此期间你可以继续使用工作室。",
    "Training loss": "训练损失",
    "Validation loss": "验证损失",
    "Step": "步",
    "Loss": "损失",
    "Pause": "暂停",
    "Hold the run between two steps": "在两步之间暂停训练",
    "Stop": "停止",
    "End the run now and keep the model as it is at this step": "立即结束训练，保留模型在这一步时的状态",
    "Save now": "立即保存",
    "Write a checkpoint after this step": "在这一步之后写入检查点",
    "Sample now": "立即采样",
    "Measure the validation loss and draw the prompts after this step": "在这一步之后计算验证损失，并为采样提示词生成图像",
    "Try again": "重试",
    "Start the run again": "重新开始训练",
    "Resume": "继续",
    "Training…": "正在训练…",
    "The run could not start; the log below says why.": "训练无法开始，原因见下方日志。",
    "Best validation loss %1": "最佳验证损失 %1",
    "Step %1 / %2": "第 %1 / %2 步",
    "Epoch %1": "第 %1 轮",
    "%1 tokens/s": "%1 词元/秒",
    "Elapsed %1": "已用 %1",
    "ETA %1": "剩余 %1",
    "Loss %1": "损失 %1",
    "Prompt": "提示词",
    "Base model": "基础模型",
    "Step %1": "第 %1 步",
    "Finished: %1 steps": "已完成：%1 步",
    "Stopped: %1 steps": "已停止：%1 步",
    "Finished: %1 steps, validation loss %2 -> %3": "已完成：%1 步，验证损失 %2 → %3",
    "Stopped: %1 steps, validation loss %2 -> %3": "已停止：%1 步，验证损失 %2 → %3",
    "Paused for later: the run continues from its last checkpoint when you start it again":
        "已暂停，留待以后：再次开始时，训练会从最近的检查点继续",
    "Failed: %1": "失败：%1",
    "Paused after the current step.": "已在当前步之后暂停。",
    "Resumed.": "已继续。",
    "Another fine-tune is still running (%1). Wait for it to end, then try again.":
        "另一个微调仍在运行（%1）。请等它结束后再试。",
    "Redraw a region…": "重绘区域…",
    "&Redraw a region of an image…": "重绘图片的一个区域(&R)…",
    "Picture to redraw a region of": "要重绘区域的图片",
    "Images (*.png *.jpg *.jpeg *.webp *.bmp)": "图片 (*.png *.jpg *.jpeg *.webp *.bmp)",
    "Redraw a region": "重绘区域",
    "%1 is not an image Shenbi can read.": "神笔无法读取图片 %1。",
    "Drag over the cells to redraw": "拖动选择要重绘的格子",
    "Drag over the picture to choose the cells to redraw. The model draws them for the prompt below and keeps every "
    "other cell. It sees the kept cells above and to the left of the region; with Best of above 1, it keeps the "
    "candidates that also fit those below.":
        "在图片上拖动，选择要重绘的格子。模型按下面的提示词画这些格子，其余格子保持不变。"
        "模型能看到区域上方和左侧保留的格子；“优中选优”大于 1 时，会留下与下方格子也相称的候选图。",
    "Prompt for the region:": "区域的提示词：",
    "Redraw": "重绘",
    "Redraw of cells %1,%2 to %3,%4": "重绘格子 %1,%2 至 %3,%4",
    "No cells chosen yet.": "还没有选择格子。",
    "%1 × %2 cells of %3 × %3 to redraw (%4 of %5 codes).": "重绘 %3 × %3 中的 %1 × %2 个格子（%5 个编码中的 %4 个）。",
    "Plan the layout": "规划布局",
    "guidance ": "引导 ",
    "guidance as above": "引导同上",
    "colours ": "颜色 ",
    "colours as guidance": "颜色同引导",
    "Guidance for the colours the prompt gives its objects, apart from the rest: where it colours one "
    "(一辆橙色的汽车), one more pass reads it without the colour (一辆汽车). Above Guidance the colours are "
    "followed more closely, and the objects drawn less well; below it less. Each part of a planned layout "
    "is read apart on its own. Costs a pass per coloured prompt.":
        "提示词给物体的颜色单独使用的引导值：提示词给某个物体上色时（一辆橙色的汽车），再多算一遍去掉颜色的提示词"
        "（一辆汽车）。高于“引导”时更贴近颜色，物体画得差一些；低于它时颜色更弱。规划布局的每个区域各自单独计算。"
        "每个带颜色的提示词多花一遍计算。",
    "Guidance for a picture drawn in parts (a planned layout, or Draw in parts…) instead of Guidance: "
    "each part is one object in its place, which a stronger pull towards its prompt draws more often. "
    "The bundled model recommends 3.":
        "分区绘制的画面（规划的布局，或“分区绘制…”）使用这个引导值，而不是“引导”：每个区域是放在某处的一个物体，"
        "更强地贴近它的提示词，物体就更常画在该在的位置。默认模型推荐 3。",
    "The parts placed by hand are back in Draw in parts…": "手动放置的区域已放回“分区绘制…”",
    "Draw each object the prompt names in its own part of the picture: 一只猫和一条狗 draws the cat on the "
    "left and the dog on the right, 一个苹果在一只熊猫的上面 the apple in the top half. A prompt with one "
    "object (三把伞 too) is drawn whole. Each part costs a pass: generating takes longer.":
        "把提示词里的每个物体画在画面中各自的区域：一只猫和一条狗会把猫画在左边、狗画在右边，"
        "一个苹果在一只熊猫的上面会把苹果画在上半部分。只有一个物体的提示词（包括三把伞）整体绘制。"
        "每个区域多算一遍，生成会更慢。",
    "Layout: %1": "布局：%1",
    "Plan the layout: each part is drawn from its own prompt.": "规划布局：每个区域按各自的提示词绘制。",
    "Draw in parts": "分区绘制",
    "Draw in &parts…": "分区绘制(&P)…",
    "Drag over the grid to place a part, give it a prompt (e.g. 一只猫在左边) and add it. Each part is drawn from "
    "its own prompt; the cells outside every part from the prompt for the rest. A later part wins where two "
    "overlap.":
        "在格子上拖动来放置一个区域，给它一个提示词（例如：一只猫在左边）并添加。每个区域按各自的提示词绘制；"
        "不属于任何区域的格子按“其余部分的提示词”绘制。两个区域重叠时，后添加的优先。",
    "Prompt for the part, e.g. 一只猫在左边": "区域的提示词，例如：一只猫在左边",
    "Add part": "添加区域",
    "Remove part": "移除区域",
    "Prompt for the rest of the picture:": "其余部分的提示词：",
}

EN_PLURALS = {
    "Export %n image(s)": ["Export %n image", "Export %n images"],
    "%n image(s)": ["%n image", "%n images"],
    "Queued (%n waiting).": ["Queued (%n waiting).", "Queued (%n waiting)."],
    "Queued next (%n waiting).": ["Queued next (%n waiting).", "Queued next (%n waiting)."],
    "List %n older request(s)": ["List %n older request", "List %n older requests"],
    "Too long: %n token(s) past the limit will be dropped (shown struck out).": [
        "Too long: %n token past the limit will be dropped (shown struck out).",
        "Too long: %n tokens past the limit will be dropped (shown struck out)."],
    "Exported %n image(s) to %1": ["Exported %n image to %1", "Exported %n images to %1"],
    "%1 · %2 · %n image(s)": ["%1 · %2 · %n image", "%1 · %2 · %n images"],
    "Removed %n invisible or control character(s) from the pasted text.": [
        "Removed %n invisible or control character from the pasted text.",
        "Removed %n invisible or control characters from the pasted text."],
    "A request is running, with %n more in the queue. Quit and cancel them?": [
        "A request is running, with %n more in the queue. Quit and cancel them?",
        "A request is running, with %n more in the queue. Quit and cancel them?"],
    "%n image(s), %1 usable, %2 left out": [
        "%n image, %1 usable, %2 left out", "%n images, %1 usable, %2 left out"],
    "%1 — %n caption(s)": ["%1 — %n caption", "%1 — %n captions"],
    "%n epochs": ["%n epoch", "%n epochs"],
}


def fill(ts_path: Path, table: dict, plurals_only: bool) -> list:
    tree = ET.parse(ts_path)
    missing = []
    for ctx in tree.getroot().findall("context"):
        name = ctx.find("name")
        if not name.text.startswith("shenbi::ui::"):
            name.text = "shenbi::ui::" + name.text
        for msg in ctx.findall("message"):
            src = msg.find("source").text
            tr = msg.find("translation")
            value = table.get(src)
            if value is None:
                if not plurals_only:
                    missing.append(src)
                continue
            if msg.get("numerus") == "yes":
                for child in list(tr):
                    tr.remove(child)
                for form in (value if isinstance(value, list) else [value]):
                    ET.SubElement(tr, "numerusform").text = form
            else:
                tr.text = value if isinstance(value, str) else value[0]
            tr.attrib.pop("type", None)
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    return missing


def main() -> int:
    for lang in ("zh_CN", "en"):
        ts = ROOT / "translations" / f"shenbi_{lang}.ts"
        subprocess.run([LUPDATE, "-no-obsolete", "-locations", "none", "-target-language", lang,
                        str(ROOT / "ui"), "-ts", str(ts)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    missing = fill(ROOT / "translations" / "shenbi_zh_CN.ts", ZH, False)
    fill(ROOT / "translations" / "shenbi_en.ts", EN_PLURALS, True)
    for m in missing:
        print("untranslated (zh_CN):", repr(m))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
