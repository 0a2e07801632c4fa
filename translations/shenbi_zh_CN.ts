<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>shenbi::ui::AboutDialog</name>
    <message>
        <source>images the bundled model was trained on</source>
        <translation>自带模型的训练图像</translation>
    </message>
    <message>
        <source>Chinese emoji names and keywords (captions), territories and languages (knowledge graph)</source>
        <translation>中文表情名称和关键词（图像描述），国家地区与语言（知识图谱）</translation>
    </message>
    <message>
        <source>emoji groups and subgroups (knowledge graph)</source>
        <translation>表情的大类和子类（知识图谱）</translation>
    </message>
    <message>
        <source>emoji code points and image names</source>
        <translation>表情的码位和图像文件名</translation>
    </message>
    <message>
        <source>Chinese aliases and categories of emoji (knowledge graph)</source>
        <translation>表情的中文别名和类别（知识图谱）</translation>
    </message>
    <message>
        <source>traditional to simplified Chinese conversion of the graph's words</source>
        <translation>知识图谱词语的繁简转换</translation>
    </message>
    <message>
        <source>the model architecture and checkpoint format re-implemented</source>
        <translation>重新实现的模型结构和检查点格式</translation>
    </message>
    <message>
        <source>user interface</source>
        <translation>用户界面</translation>
    </message>
    <message>
        <source>neural network engine</source>
        <translation>神经网络引擎</translation>
    </message>
    <message>
        <source>matrix products on the CPU</source>
        <translation>CPU 上的矩阵乘法</translation>
    </message>
    <message>
        <source>image encoding and resizing</source>
        <translation>图像编码和缩放</translation>
    </message>
    <message>
        <source>coroutines over Qt</source>
        <translation>基于 Qt 的协程</translation>
    </message>
    <message>
        <source>model and metadata files</source>
        <translation>模型和元数据文件</translation>
    </message>
    <message>
        <source>About Shenbi</source>
        <translation>关于神笔</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Shenbi 神笔 %1&lt;/h3&gt;&lt;p&gt;Knowledge-enhanced Chinese text-to-image generation: a native re-implementation of ARTIST (Alibaba EasyNLP).&lt;/p&gt;&lt;p&gt;Entities of the prompt are linked to a knowledge graph; hover an underlined word to see what the model is told.&lt;/p&gt;&lt;p&gt;Licence: Apache-2.0.&lt;/p&gt;&lt;p&gt;Bundled model: %2&lt;br&gt;Knowledge graph: %3&lt;/p&gt;</source>
        <translation>&lt;h3&gt;神笔 Shenbi %1&lt;/h3&gt;&lt;p&gt;知识增强的中文文生图：ARTIST（阿里巴巴 EasyNLP）的原生重新实现。&lt;/p&gt;&lt;p&gt;提示词中的实体会链接到知识图谱；把鼠标悬停在带下划线的词上，即可看到模型获得的知识。&lt;/p&gt;&lt;p&gt;许可证：Apache-2.0。&lt;/p&gt;&lt;p&gt;自带模型：%2&lt;br&gt;知识图谱：%3&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Used for</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Credits and licences</source>
        <translation>致谢与许可证</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::CandidateGallery</name>
    <message>
        <source>#%1 · %2/%3</source>
        <translation>#%1 · %2/%3</translation>
    </message>
    <message>
        <source>#%1 · seed %2</source>
        <translation>#%1 · 种子 %2</translation>
    </message>
    <message>
        <source>Model's certainty %1 nats per code (higher: surer)
</source>
        <translation>模型的把握 %1 奈特/码（越高越有把握）
</translation>
    </message>
    <message>
        <source>Candidate %1
Seed %2 (its own; the request's seed %3 draws it again as #%1)
%4Double-click to enlarge, S to star, drag to export</source>
        <translation>候选 %1
种子 %2（它自己的；用这次请求的种子 %3 会在 #%1 处再次画出它）
%4双击放大，按 S 加星标，拖出即可导出</translation>
    </message>
    <message>
        <source>Enlarge</source>
        <translation>放大查看</translation>
    </message>
    <message>
        <source>Compare selected (%1)</source>
        <translation>对比所选（%1）</translation>
    </message>
    <message>
        <source>Remove star</source>
        <translation>取消星标</translation>
    </message>
    <message>
        <source>Star</source>
        <translation>加星标</translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation>复制图像</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Reuse this request's seed</source>
        <translation>重用这次请求的种子</translation>
    </message>
    <message>
        <source>Redraw a region…</source>
        <translation>重绘区域…</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::CellPicker</name>
    <message>
        <source>Drag over the cells to redraw</source>
        <translation>拖动选择要重绘的格子</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::DataPage</name>
    <message>
        <source>the caption is empty</source>
        <translation>图像描述为空</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s), %1 usable, %2 left out</source>
        <translation>
            <numerusform>%n 张图像，%1 张可用，%2 张已排除</numerusform></translation>
    </message>
    <message>
        <source>Sizes: %1</source>
        <translation>尺寸：%1</translation>
    </message>
    <message>
        <source>TSV files (*.tsv);;All files (*)</source>
        <translation>TSV 文件 (*.tsv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Your images</source>
        <translation>你的图像</translation>
    </message>
    <message>
        <source>The pictures to train on, each with a caption: what you would type to get it.</source>
        <translation>用于训练的图像，每张配一段描述：也就是你想画出它时会输入的文字。</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>A folder of images with same-named .txt captions</source>
        <translation>图像文件夹，描述放在同名的 .txt 文件中</translation>
    </message>
    <message>
        <source>EasyNLP TSV files</source>
        <translation>EasyNLP TSV 文件</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Double-click a caption to correct it: it is saved to its .txt file.</source>
        <translation>双击描述即可修改，修改会保存到对应的 .txt 文件。</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Images held out to measure how well training generalises; they are not trained on.</source>
        <translation>留出的图像用于衡量训练的泛化效果，不参与训练。</translation>
    </message>
    <message>
        <source>Hold out for validation</source>
        <translation>留作验证集</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Folder of images and captions</source>
        <translation>图像和描述所在的文件夹</translation>
    </message>
    <message>
        <source>Training TSV</source>
        <translation>训练 TSV</translation>
    </message>
    <message>
        <source>Validation TSV</source>
        <translation>验证 TSV</translation>
    </message>
    <message>
        <source>Cannot check the folder %1: %2</source>
        <translation>无法检查文件夹 %1：%2</translation>
    </message>
    <message>
        <source>Cannot save the caption of %1 to %2: %3</source>
        <translation>无法把 %1 的描述保存到 %2：%3</translation>
    </message>
    <message>
        <source>Left out: %1: %2</source>
        <translation>已排除：%1：%2</translation>
    </message>
    <message>
        <source>Warning: %1: %2</source>
        <translation>警告：%1：%2</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <source>No images (png, jpg, jpeg, webp, bmp) in %1.</source>
        <translation>%1 中没有图像（png、jpg、jpeg、webp、bmp）。</translation>
    </message>
    <message>
        <source>%1 for training, %2 for validation</source>
        <translation>%1 张用于训练，%2 张用于验证</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::EntityHighlighter</name>
    <message>
        <source>Past the model's token limit: this text is not used.</source>
        <translation>超出模型的词元上限：这部分文字不会被使用。</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::ExportDialog</name>
    <message numerus="yes">
        <source>Export %n image(s)</source>
        <translation>
            <numerusform>导出 %n 张图像</numerusform></translation>
    </message>
    <message>
        <source>PNG (lossless, iTXt record)</source>
        <translation>PNG（无损，iTXt 记录）</translation>
    </message>
    <message>
        <source>JPEG (EXIF + XMP record)</source>
        <translation>JPEG（EXIF + XMP 记录）</translation>
    </message>
    <message>
        <source>WebP (EXIF + XMP record)</source>
        <translation>WebP（EXIF + XMP 记录）</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Upscale</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Lanczos (smooth)</source>
        <translation>Lanczos（平滑）</translation>
    </message>
    <message>
        <source>Nearest (pixel art)</source>
        <translation>最近邻（像素风）</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>滤波</translation>
    </message>
    <message>
        <source>Fields: {date} {time} {prompt} {seed} {cseed} {index} {model} {id}</source>
        <translation>可用字段：{date} {time} {prompt} {seed} {cseed} {index} {model} {id}</translation>
    </message>
    <message>
        <source>File name</source>
        <translation>文件名</translation>
    </message>
    <message>
        <source>Export folder</source>
        <translation>导出文件夹</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::FinetuneWizard</name>
    <message>
        <source>Fine-tune on your images — %1</source>
        <translation>用你的图像微调 — %1</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>训练正在进行</translation>
    </message>
    <message>
        <source>Stop training for now? It is kept at its last checkpoint, and Shenbi offers to continue it the next time it starts.</source>
        <translation>暂时停止训练吗？训练保留在最近的检查点，神笔下次启动时会提示你继续。</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::FinishPage</name>
    <message>
        <source>Your model</source>
        <translation>你的模型</translation>
    </message>
    <message>
        <source>Choose the weights to keep and a name; the model then appears in the model manager.</source>
        <translation>选择要保留的权重并起个名字，模型随后会出现在模型管理中。</translation>
    </message>
    <message>
        <source>Add to my models</source>
        <translation>添加到我的模型</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Open it in the studio now</source>
        <translation>立即在工作室中打开</translation>
    </message>
    <message>
        <source>Open in the studio</source>
        <translation>在工作室中打开</translation>
    </message>
    <message>
        <source>Export as command</source>
        <translation>导出为命令</translation>
    </message>
    <message>
        <source>The same run from a terminal (it resumes from the run's checkpoints):</source>
        <translation>在终端中运行同一次训练（会从这次训练的检查点继续）：</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Lowest validation loss (%1)</source>
        <translation>验证损失最低（%1）</translation>
    </message>
    <message>
        <source>Last weights (step %1)</source>
        <translation>最后的权重（第 %1 步）</translation>
    </message>
    <message>
        <source>Could not create the folder %1</source>
        <translation>无法创建文件夹 %1</translation>
    </message>
    <message>
        <source>Could not add the model: %1</source>
        <translation>无法添加模型：%1</translation>
    </message>
    <message>
        <source>Give the model a name.</source>
        <translation>请为模型起个名字。</translation>
    </message>
    <message>
        <source>The name may not contain “/”.</source>
        <translation>名称中不能包含“/”。</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::GenerationService</name>
    <message>
        <source>No model is loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::HistoryPanel</name>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>Search prompts…</source>
        <translation>搜索提示词…</translation>
    </message>
    <message>
        <source>Only requests with a starred candidate</source>
        <translation>只显示有星标候选的请求</translation>
    </message>
    <message>
        <source>History is off: %1</source>
        <translation>历史记录已关闭：%1</translation>
    </message>
    <message>
        <source>Show more</source>
        <translation>显示更多</translation>
    </message>
    <message numerus="yes">
        <source>List %n older request(s)</source>
        <translation>
            <numerusform>再列出 %n 个更早的请求</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n 张图像</numerusform></translation>
    </message>
    <message>
        <source>%1
Seed %2 · model %3</source>
        <translation>%1
种子 %2 · 模型 %3</translation>
    </message>
    <message>
        <source>Show candidates</source>
        <translation>显示候选图</translation>
    </message>
    <message>
        <source>Use prompt</source>
        <translation>使用提示词</translation>
    </message>
    <message>
        <source>Use seed</source>
        <translation>使用种子</translation>
    </message>
    <message>
        <source>Use all parameters</source>
        <translation>使用全部参数</translation>
    </message>
    <message>
        <source>Delete from history</source>
        <translation>从历史中删除</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::HistoryStore</name>
    <message>
        <source>%1 was written by a newer Shenbi (history format %2; this one reads up to %3), so it is left untouched</source>
        <translation>%1 由更新版本的神笔写入（历史格式 %2；本版本最多读取 %3），因此不作任何改动</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::ImageCompareDialog</name>
    <message>
        <source>Compare candidates</source>
        <translation>对比候选图</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>候选图</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::KnowledgePage</name>
    <message>
        <source>(the first %1 rows of the TSV)</source>
        <translation>（TSV 的前 %1 行）</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n caption(s)</source>
        <translation>
            <numerusform>%1 — %n 条描述</numerusform></translation>
    </message>
    <message>
        <source>Head</source>
        <translation>头实体</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Tail</source>
        <translation>尾实体</translation>
    </message>
    <message>
        <source>Knowledge</source>
        <translation>知识</translation>
    </message>
    <message>
        <source>What the model's knowledge graph finds in your captions, and your own facts for what it lacks.</source>
        <translation>模型的知识图谱在你的描述中找到了什么，以及你为它补充的事实。</translation>
    </message>
    <message>
        <source>What the model already knows</source>
        <translation>模型已有的知识</translation>
    </message>
    <message>
        <source>This model has no knowledge graph: triples cannot reach it</source>
        <translation>此模型没有知识图谱：三元组无法传给它</translation>
    </message>
    <message>
        <source>Most linked entities</source>
        <translation>链接最多的实体</translation>
    </message>
    <message>
        <source>Words that link nothing</source>
        <translation>未链接到实体的词</translation>
    </message>
    <message>
        <source>Your own triples</source>
        <translation>你的三元组</translation>
    </message>
    <message>
        <source>One fact per row: a head, a relation and a tail, e.g. %1.</source>
        <translation>每行一条事实，依次为头实体、关系和尾实体，例如：%1。</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>添加行</translation>
    </message>
    <message>
        <source>Remove row</source>
        <translation>删除行</translation>
    </message>
    <message>
        <source>Load TSV…</source>
        <translation>加载 TSV…</translation>
    </message>
    <message>
        <source>Counting the entities your captions link…</source>
        <translation>正在统计描述中链接到的实体…</translation>
    </message>
    <message>
        <source>Cannot count the entities of the captions: %1</source>
        <translation>无法统计描述中的实体：%1</translation>
    </message>
    <message>
        <source>%1 of %2 captions link an entity</source>
        <translation>%2 条描述中有 %1 条链接到实体</translation>
    </message>
    <message>
        <source>Triples file</source>
        <translation>三元组文件</translation>
    </message>
    <message>
        <source>Triples (*.tsv *.txt *.csv);;All files (*)</source>
        <translation>三元组 (*.tsv *.txt *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot load the triples: %1</source>
        <translation>无法加载三元组：%1</translation>
    </message>
    <message>
        <source>New names (get knowledge vectors when training starts): %1</source>
        <translation>新名称（训练开始时获得知识向量）：%1</translation>
    </message>
    <message>
        <source>Row %1: the head is empty</source>
        <translation>第 %1 行：头实体为空</translation>
    </message>
    <message>
        <source>Row %1: the relation is empty</source>
        <translation>第 %1 行：关系为空</translation>
    </message>
    <message>
        <source>Row %1: the tail is empty</source>
        <translation>第 %1 行：尾实体为空</translation>
    </message>
    <message>
        <source>No run folder is set.</source>
        <translation>尚未设置训练文件夹。</translation>
    </message>
    <message>
        <source>Cannot create the run folder %1</source>
        <translation>无法创建训练文件夹 %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::LayoutDialog</name>
    <message>
        <source>Draw in parts</source>
        <translation>分区绘制</translation>
    </message>
    <message>
        <source>Drag over the grid to place a part, give it a prompt (e.g. 一只猫在左边) and add it. Each part is drawn from its own prompt; the cells outside every part from the prompt for the rest. A later part wins where two overlap.</source>
        <translation>在格子上拖动来放置一个区域，给它一个提示词（例如：一只猫在左边）并添加。每个区域按各自的提示词绘制；不属于任何区域的格子按“其余部分的提示词”绘制。两个区域重叠时，后添加的优先。</translation>
    </message>
    <message>
        <source>Prompt for the part, e.g. 一只猫在左边</source>
        <translation>区域的提示词，例如：一只猫在左边</translation>
    </message>
    <message>
        <source>Add part</source>
        <translation>添加区域</translation>
    </message>
    <message>
        <source>Remove part</source>
        <translation>移除区域</translation>
    </message>
    <message>
        <source>Prompt for the rest of the picture:</source>
        <translation>其余部分的提示词：</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::MainWindow</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>Shenbi 神笔 — knowledge-enhanced Chinese text-to-image</source>
        <translation>神笔 Shenbi — 知识增强的中文文生图</translation>
    </message>
    <message>
        <source>Knowledge graph not loaded: %1</source>
        <translation>知识图谱未加载：%1</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Generate (Ctrl+Enter). While a request runs, this adds to the queue.</source>
        <translation>生成（Ctrl+Enter）。已有任务运行时，新请求加入队列。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the running request (Ctrl+.); queued ones stay.</source>
        <translation>停止正在运行的请求（Ctrl+.）；排队中的请求保留。</translation>
    </message>
    <message>
        <source>%v / %m tokens</source>
        <translation>%v / %m 个图像词元</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Import parameters from image…</source>
        <translation>从图像导入参数(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Export selected…</source>
        <translation>导出所选(&amp;E)…</translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation>复制图像</translation>
    </message>
    <message>
        <source>&amp;Redraw a region of an image…</source>
        <translation>重绘图片的一个区域(&amp;R)…</translation>
    </message>
    <message>
        <source>Picture to redraw a region of</source>
        <translation>要重绘区域的图片</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.webp *.bmp)</translation>
    </message>
    <message>
        <source>Redraw a region</source>
        <translation>重绘区域</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <source>Generate next (front of the queue)</source>
        <translation>下一个生成（排到队列最前面）</translation>
    </message>
    <message>
        <source>Draw in &amp;parts…</source>
        <translation>分区绘制(&amp;P)…</translation>
    </message>
    <message>
        <source>Cancel running</source>
        <translation>取消当前任务</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>全部取消</translation>
    </message>
    <message>
        <source>&amp;Models</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>Model manager…</source>
        <translation>模型管理…</translation>
    </message>
    <message>
        <source>Fine-tune on my images…</source>
        <translation>用我的图像微调…</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>Preferences…</source>
        <translation>首选项…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>About Shenbi</source>
        <translation>关于神笔</translation>
    </message>
    <message numerus="yes">
        <source>Removed %n invisible or control character(s) from the pasted text.</source>
        <translation>
            <numerusform>已从粘贴的文本中移除 %n 个不可见字符或控制字符。</numerusform></translation>
    </message>
    <message>
        <source>Knowledge: %1</source>
        <translation>知识：%1</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Model not loaded: %1</source>
        <translation>模型未加载：%1</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <source>Seed %1 fixed: the same prompt and settings draw these candidates again</source>
        <translation>种子 %1 已固定：同样的提示词和设置会再次画出这些候选</translation>
    </message>
    <message>
        <source>Model: %1 · %2 px · %3</source>
        <translation>模型：%1 · %2 像素 · %3</translation>
    </message>
    <message>
        <source> · random weights</source>
        <translation> · 随机权重</translation>
    </message>
    <message>
        <source>Random weights: the pictures are noise. Open a trained model in Models → Model manager.</source>
        <translation>随机权重：画出的只是噪声。请在“模型 → 模型管理”中打开训练好的模型。</translation>
    </message>
    <message>
        <source>Checksum %1
Fusion %2</source>
        <translation>校验和 %1
融合方式 %2</translation>
    </message>
    <message>
        <source>Draws well: %1</source>
        <translation>擅长：%1</translation>
    </message>
    <message>
        <source>Type a prompt first.</source>
        <translation>请先输入提示词。</translation>
    </message>
    <message>
        <source>No model is loaded yet.</source>
        <translation>模型尚未加载。</translation>
    </message>
    <message numerus="yes">
        <source>Queued next (%n waiting).</source>
        <translation>
            <numerusform>已排到下一个（%n 个等待中）。</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Queued (%n waiting).</source>
        <translation>
            <numerusform>已加入队列（%n 个等待中）。</numerusform></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>%1 elapsed · estimating…</source>
        <translation>已用 %1 · 正在估算剩余时间…</translation>
    </message>
    <message>
        <source>%1 elapsed · %2 left</source>
        <translation>已用 %1 · 剩余 %2</translation>
    </message>
    <message>
        <source>Done in %1 · %2 ms/token</source>
        <translation>完成，用时 %1 · 每词元 %2 毫秒</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Generation failed: %1</source>
        <translation>生成失败：%1</translation>
    </message>
    <message>
        <source>Add to queue</source>
        <translation>加入队列</translation>
    </message>
    <message>
        <source>Add to queue (%1)</source>
        <translation>加入队列（%1）</translation>
    </message>
    <message>
        <source>Plan the layout: each part is drawn from its own prompt.</source>
        <translation>规划布局：每个区域按各自的提示词绘制。</translation>
    </message>
    <message>
        <source>Prompt tokens / the model's text length.</source>
        <translation>提示词词元数 / 模型的文本长度。</translation>
    </message>
    <message numerus="yes">
        <source>Too long: %n token(s) past the limit will be dropped (shown struck out).</source>
        <translation>
            <numerusform>太长：超出上限的 %n 个词元将被丢弃（以删除线显示）。</numerusform></translation>
    </message>
    <message>
        <source>Close to the limit: text after %1 tokens is dropped.</source>
        <translation>接近上限：第 %1 个词元之后的文字将被丢弃。</translation>
    </message>
    <message>
        <source>Ctrl+click</source>
        <translation>Ctrl+点击</translation>
    </message>
    <message>
        <source>Prompt: cycle through overlapping entities</source>
        <translation>提示词：在重叠的实体之间切换</translation>
    </message>
    <message>
        <source>Up / Down</source>
        <translation>上 / 下</translation>
    </message>
    <message>
        <source>Prompt: earlier prompts</source>
        <translation>提示词：之前的提示词</translation>
    </message>
    <message>
        <source>Gallery: star or unstar the selected candidates</source>
        <translation>候选区：给所选候选加上或取消星标</translation>
    </message>
    <message>
        <source>Enter / Space / double-click</source>
        <translation>回车 / 空格 / 双击</translation>
    </message>
    <message>
        <source>Gallery: enlarge</source>
        <translation>候选区：放大查看</translation>
    </message>
    <message>
        <source>Close a popup (never cancels a generation)</source>
        <translation>关闭弹出框（不会取消生成）</translation>
    </message>
    <message>
        <source>The parts placed by hand are back in Draw in parts…</source>
        <translation>手动放置的区域已放回“分区绘制…”</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>无法读取 %1</translation>
    </message>
    <message>
        <source>%1 has no generation parameters.</source>
        <translation>%1 不含生成参数。</translation>
    </message>
    <message>
        <source>Parameters restored from %1 (Ctrl+Z in the prompt brings the previous text back)</source>
        <translation>已从 %1 恢复参数（在提示词框中按 Ctrl+Z 可找回之前的文字）</translation>
    </message>
    <message>
        <source>made with model %1, not the open one: the same seed draws other images</source>
        <translation>由模型 %1 生成，不是当前打开的模型：同样的种子会画出不同的图像</translation>
    </message>
    <message>
        <source>Image with generation parameters</source>
        <translation>含生成参数的图像</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.webp)</translation>
    </message>
    <message>
        <source>Import parameters</source>
        <translation>导入参数</translation>
    </message>
    <message>
        <source>Nothing to export yet.</source>
        <translation>还没有可导出的图像。</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n image(s) to %1</source>
        <translation>
            <numerusform>已导出 %n 张图像到 %1</numerusform></translation>
    </message>
    <message>
        <source>Image copied</source>
        <translation>图像已复制</translation>
    </message>
    <message>
        <source>#%1 · seed %2</source>
        <translation>#%1 · 种子 %2</translation>
    </message>
    <message>
        <source>Imported into %1</source>
        <translation>已导入到 %1</translation>
    </message>
    <message>
        <source>A fine-tune is already running.</source>
        <translation>已有一个微调正在运行。</translation>
    </message>
    <message>
        <source>Unfinished fine-tune</source>
        <translation>未完成的微调</translation>
    </message>
    <message>
        <source>A fine-tune did not finish:
%1

Continue it from its last checkpoint, with the same settings?</source>
        <translation>有一个微调没有完成：
%1

要以相同的设置从最近的检查点继续吗？</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>Forget it</source>
        <translation>不再提醒</translation>
    </message>
    <message>
        <source>Cannot continue the fine-tune</source>
        <translation>无法继续微调</translation>
    </message>
    <message>
        <source>Quit while fine-tuning?</source>
        <translation>正在微调，要退出吗？</translation>
    </message>
    <message>
        <source>A fine-tune is running. Quit? It is kept at its last checkpoint, and Shenbi offers to continue it the next time it starts.</source>
        <translation>微调正在运行。要退出吗？训练保留在最近的检查点，神笔下次启动时会提示你继续。</translation>
    </message>
    <message numerus="yes">
        <source>A request is running, with %n more in the queue. Quit and cancel them?</source>
        <translation>
            <numerusform>有一个请求正在运行，另有 %n 个在排队。退出并全部取消吗？</numerusform></translation>
    </message>
    <message>
        <source>A request is running. Quit and cancel it?</source>
        <translation>有一个请求正在运行。退出并取消它吗？</translation>
    </message>
    <message>
        <source>Quit while generating?</source>
        <translation>正在生成，要退出吗？</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::MethodPage</name>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Method and settings</source>
        <translation>方法与设置</translation>
    </message>
    <message>
        <source>How the model learns your images, and for how long. The time estimates come from training steps measured on this computer.</source>
        <translation>模型如何学习你的图像，以及学习多久。预计用时来自在本机上实测的训练步。</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Full fine-tune: every weight of the GPT learns (saves a whole model)</source>
        <translation>完整微调：GPT 的每个权重都参与学习（保存整个模型）</translation>
    </message>
    <message>
        <source>LoRA adapters: small matrices beside the GPT's attention and MLP layers learn (saves a few MB, opened on top of the base model)</source>
        <translation>LoRA 适配器：在 GPT 的注意力层和 MLP 层旁学习小矩阵（只保存几 MB，在基础模型之上打开）</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>秩</translation>
    </message>
    <message>
        <source>Alpha</source>
        <translation>Alpha</translation>
    </message>
    <message>
        <source>How long</source>
        <translation>训练时长</translation>
    </message>
    <message>
        <source>Quick</source>
        <translation>快速</translation>
    </message>
    <message>
        <source>Balanced</source>
        <translation>均衡</translation>
    </message>
    <message>
        <source>Thorough</source>
        <translation>充分</translation>
    </message>
    <message>
        <source>Advanced settings</source>
        <translation>高级设置</translation>
    </message>
    <message>
        <source>at the end only</source>
        <translation>仅在结束时</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>One prompt per line; sampled at every validation</source>
        <translation>每行一条提示词；每次验证时采样</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>bf16 mixed precision (faster on this CPU)</source>
        <translation>bf16 混合精度（在此 CPU 上更快）</translation>
    </message>
    <message>
        <source>The forward pass computes in bf16 where this CPU does it natively (AMX or AVX512_BF16); the weights and the optimizer stay fp32. Training on a GPU ignores it.</source>
        <translation>前向计算在此 CPU 原生支持时（AMX 或 AVX512_BF16）使用 bf16；权重和优化器仍为 fp32。在 GPU 上训练时忽略此项。</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Validate and sample every</source>
        <translation>验证和采样间隔（步）</translation>
    </message>
    <message>
        <source>Checkpoint every</source>
        <translation>检查点间隔（步）</translation>
    </message>
    <message>
        <source>Early stop after (validations without improvement)</source>
        <translation>提前停止（连续无改进的验证次数）</translation>
    </message>
    <message>
        <source>Sample prompts</source>
        <translation>采样提示词</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <source>Run folder</source>
        <translation>训练文件夹</translation>
    </message>
    <message numerus="yes">
        <source>%n epochs</source>
        <translation>
            <numerusform>%n 轮</numerusform></translation>
    </message>
    <message>
        <source>%1, %2 steps</source>
        <translation>%1，%2 步</translation>
    </message>
    <message>
        <source>, about %1</source>
        <translation>，约 %1</translation>
    </message>
    <message>
        <source> (stops early when validation stops improving)</source>
        <translation>（验证不再改进时提前停止）</translation>
    </message>
    <message>
        <source>Measuring a few training steps on this computer…</source>
        <translation>正在本机上实测几个训练步…</translation>
    </message>
    <message>
        <source>%1 s per step of %2 images, measured here. The estimates cover the training steps; validation and samples add to them.</source>
        <translation>本机实测：每步（%2 张图像）%1 秒。预计用时只含训练步，验证和采样另需时间。</translation>
    </message>
    <message>
        <source>Could not measure a training step: %1</source>
        <translation>无法实测训练步：%1</translation>
    </message>
    <message>
        <source>Seed %1: must be a whole number of 0 or more</source>
        <translation>种子 %1：必须是不小于 0 的整数</translation>
    </message>
    <message>
        <source>Cannot copy your triples to %1</source>
        <translation>无法把你的三元组复制到 %1</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::ModelManagerDialog</name>
    <message>
        <source>adapter.json names no base model</source>
        <translation>adapter.json 未指明基础模型</translation>
    </message>
    <message>
        <source>no model.json or pytorch_model.bin here</source>
        <translation>此处没有 model.json 或 pytorch_model.bin</translation>
    </message>
    <message>
        <source>%1 (EasyNLP, used in place)</source>
        <translation>%1（EasyNLP，原位使用）</translation>
    </message>
    <message>
        <source>%1 (LoRA on %2)</source>
        <translation>%1（基于 %2 的 LoRA）</translation>
    </message>
    <message>
        <source>%1 (cannot be read: %2)</source>
        <translation>%1（无法读取：%2）</translation>
    </message>
    <message>
        <source>Import EasyNLP model</source>
        <translation>导入 EasyNLP 模型</translation>
    </message>
    <message>
        <source>Converting %1 writes a copy of about %2 into %3 (%4 free there).

Or use the folder where it is: nothing is copied, it is converted each time it is loaded, and it must stay in place.</source>
        <translation>转换 %1 会在 %3 写入约 %2 的副本（该处剩余 %4）。

也可以原位使用该文件夹：不复制，每次加载时转换，文件夹须保留在原处。</translation>
    </message>
    <message>
        <source>Convert into a copy</source>
        <translation>转换为副本</translation>
    </message>
    <message>
        <source>Use in place</source>
        <translation>原位使用</translation>
    </message>
    <message>
        <source>There is not enough free space for a copy.</source>
        <translation>剩余空间不足以存放副本。</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <source>Add model folder…</source>
        <translation>添加模型文件夹…</translation>
    </message>
    <message>
        <source>Import EasyNLP folder…</source>
        <translation>导入 EasyNLP 文件夹…</translation>
    </message>
    <message>
        <source>Forget</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Shenbi or EasyNLP model folder</source>
        <translation>神笔或 EasyNLP 模型文件夹</translation>
    </message>
    <message>
        <source>EasyNLP ARTIST folder (pytorch_model.bin, config.json, vocab.txt)</source>
        <translation>EasyNLP ARTIST 文件夹（pytorch_model.bin、config.json、vocab.txt）</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;checksum %2 · %3 px · %4 text tokens · fusion %5 · %6</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;校验和 %2 · %3 像素 · %4 个文本词元 · 融合 %5 · %6</translation>
    </message>
    <message>
        <source>%1 (open)</source>
        <translation>%1（当前）</translation>
    </message>
    <message>
        <source>Untrained: draws noise. For trying the studio and for tests.</source>
        <translation>未训练：只会画出噪声。用于试用工作室和测试。</translation>
    </message>
    <message>
        <source>This model says nothing about what it draws.</source>
        <translation>此模型未说明它能画什么。</translation>
    </message>
    <message>
        <source>Draws well: %1</source>
        <translation>擅长：%1</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::ModelService</name>
    <message>
        <source>%1 (LoRA on %2)</source>
        <translation>%1（基于 %2 的 LoRA）</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::ParamsPanel</name>
    <message>
        <source>Images sampled together in one batch for each request.</source>
        <translation>每个请求在同一批中采样的图像数。</translation>
    </message>
    <message>
        <source>Candidates</source>
        <translation>候选数</translation>
    </message>
    <message>
        <source>Candidate i uses a seed derived from this one, so a request is reproducible.</source>
        <translation>第 i 张候选图使用由此派生的种子，因此请求可以复现。</translation>
    </message>
    <message>
        <source>New random seed</source>
        <translation>新的随机种子</translation>
    </message>
    <message>
        <source>Fixed</source>
        <translation>固定</translation>
    </message>
    <message>
        <source>Keep this seed for every request (otherwise a new one is drawn each time).</source>
        <translation>每次请求都使用此种子（否则每次随机抽取新种子）。</translation>
    </message>
    <message>
        <source>Reuse the seed of the last request</source>
        <translation>沿用上一次请求的种子</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Lower: safer, more repetitive images. Higher: more varied, noisier.</source>
        <translation>较低：更稳妥、更雷同；较高：更多样、更嘈杂。</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Sample each image token among the k most likely codes (0 = all).</source>
        <translation>每个图像词元只在概率最高的 k 个码中采样（0 = 全部）。</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Nucleus sampling: the smallest set of codes whose probability reaches p (1 = off).</source>
        <translation>核采样：概率累计达到 p 的最小码集（1 = 关闭）。</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Classifier-free guidance: how much more closely the images follow the prompt than an empty one. Higher: closer to the prompt, less varied; 1 = off. Costs a second pass per token.</source>
        <translation>无分类器引导：图像比空提示词更贴近提示词的程度。越高越贴近提示词，但变化越少；1 = 关闭。每个词元多算一遍。</translation>
    </message>
    <message>
        <source>colours </source>
        <translation>颜色 </translation>
    </message>
    <message>
        <source>colours as guidance</source>
        <translation>颜色同引导</translation>
    </message>
    <message>
        <source>Guidance for the colours the prompt gives its objects, apart from the rest: where it colours one (一辆橙色的汽车), one more pass reads it without the colour (一辆汽车). Above Guidance the colours are followed more closely, and the objects drawn less well; below it less. Each part of a planned layout is read apart on its own. Costs a pass per coloured prompt.</source>
        <translation>提示词给物体的颜色单独使用的引导值：提示词给某个物体上色时（一辆橙色的汽车），再多算一遍去掉颜色的提示词（一辆汽车）。高于“引导”时更贴近颜色，物体画得差一些；低于它时颜色更弱。规划布局的每个区域各自单独计算。每个带颜色的提示词多花一遍计算。</translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation>引导强度</translation>
    </message>
    <message>
        <source>e.g. 红色</source>
        <translation>例如：红色</translation>
    </message>
    <message>
        <source>Negative</source>
        <translation>反向提示词</translation>
    </message>
    <message>
        <source>Sample this many images per candidate and keep those the model is surest of given the prompt. Slower by the same factor; 1 = off.</source>
        <translation>每个候选采样这么多张，只保留模型对提示词最有把握的那些。耗时按同样倍数增加；1 = 关闭。</translation>
    </message>
    <message>
        <source>Best of</source>
        <translation>优中选优</translation>
    </message>
    <message>
        <source>Plan the layout</source>
        <translation>规划布局</translation>
    </message>
    <message>
        <source>Draw each object the prompt names in its own part of the picture: 一只猫和一条狗 draws the cat on the left and the dog on the right, 一个苹果在一只熊猫的上面 the apple in the top half. A prompt with one object (三把伞 too) is drawn whole. Each part costs a pass: generating takes longer.</source>
        <translation>把提示词里的每个物体画在画面中各自的区域：一只猫和一条狗会把猫画在左边、狗画在右边，一个苹果在一只熊猫的上面会把苹果画在上半部分。只有一个物体的提示词（包括三把伞）整体绘制。每个区域多算一遍，生成会更慢。</translation>
    </message>
    <message>
        <source>guidance </source>
        <translation>引导 </translation>
    </message>
    <message>
        <source>guidance as above</source>
        <translation>引导同上</translation>
    </message>
    <message>
        <source>Guidance for a picture drawn in parts (a planned layout, or Draw in parts…) instead of Guidance: each part is one object in its place, which a stronger pull towards its prompt draws more often. The bundled model recommends 3.</source>
        <translation>分区绘制的画面（规划的布局，或“分区绘制…”）使用这个引导值，而不是“引导”：每个区域是放在某处的一个物体，更强地贴近它的提示词，物体就更常画在该在的位置。默认模型推荐 3。</translation>
    </message>
    <message>
        <source>Use the knowledge graph</source>
        <translation>使用知识图谱</translation>
    </message>
    <message>
        <source>Feed the linked entities' TransE vectors to the model (ARTIST).</source>
        <translation>把链接实体的 TransE 向量输入模型（ARTIST）。</translation>
    </message>
    <message>
        <source>How entity vectors reach the GPT; fixed by the loaded model.</source>
        <translation>实体向量进入 GPT 的方式；由已加载的模型决定。</translation>
    </message>
    <message>
        <source>Fusion</source>
        <translation>融合方式</translation>
    </message>
    <message>
        <source>What the images should not show: guidance steers away from this prompt instead of an empty one, e.g. 红色 (the bundled model draws a single object in its usual colour about half as often).</source>
        <translation>图像中不要出现的东西：引导会远离这段提示词，而不是远离空提示词，例如“红色”（默认模型画单个物体时，画成它常见颜色的次数约少一半）。</translation>
    </message>
    <message>
        <source>A negative prompt needs guidance above 1 (off): guidance is what steers away from it.</source>
        <translation>反向提示词需要引导强度大于 1（关闭）：远离它的正是引导。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Recommended by the model %1</source>
        <translation>模型 %1 推荐的设置</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::PromptEditor</name>
    <message>
        <source>Describe the picture in Chinese (Ctrl+Enter to generate)</source>
        <translation>用中文描述画面（Ctrl+Enter 生成）</translation>
    </message>
    <message>
        <source>Describe the picture in Chinese, e.g. %1 (Ctrl+Enter to generate)</source>
        <translation>用中文描述画面，例如：%1（Ctrl+Enter 生成）</translation>
    </message>
    <message>
        <source>linked</source>
        <translation>已链接</translation>
    </message>
    <message>
        <source>not linked</source>
        <translation>未链接</translation>
    </message>
    <message>
        <source>No relations in the graph.</source>
        <translation>图谱中没有相关关系。</translation>
    </message>
    <message>
        <source>Ctrl+click cycles through the overlapping entities.</source>
        <translation>Ctrl+单击可在重叠的实体之间切换。</translation>
    </message>
    <message>
        <source>Ctrl+click to unlink or link again.</source>
        <translation>Ctrl+单击可取消链接或重新链接。</translation>
    </message>
    <message>
        <source>Knowledge</source>
        <translation>知识</translation>
    </message>
    <message>
        <source>Unlink “%1”</source>
        <translation>取消链接“%1”</translation>
    </message>
    <message>
        <source>Link “%1”</source>
        <translation>链接“%1”</translation>
    </message>
    <message>
        <source>Link all entities again</source>
        <translation>重新链接所有实体</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::QueuePanel</name>
    <message>
        <source>Run next</source>
        <translation>下一个运行</translation>
    </message>
    <message>
        <source>Move the selected waiting requests to the front of the queue</source>
        <translation>把选中的等待中请求移到队列最前面</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Cancel selected</source>
        <translation>取消所选</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>全部取消</translation>
    </message>
    <message>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %2 · %n image(s)</source>
        <translation>
            <numerusform>%1 · %2 · %n 张图像</numerusform></translation>
    </message>
</context>
<context>
    <name>shenbi::ui::RedrawDialog</name>
    <message>
        <source>Redraw a region</source>
        <translation>重绘区域</translation>
    </message>
    <message>
        <source>Drag over the picture to choose the cells to redraw. The model draws them for the prompt below and keeps every other cell. It sees the kept cells above and to the left of the region; with Best of above 1, it keeps the candidates that also fit those below.</source>
        <translation>在图片上拖动，选择要重绘的格子。模型按下面的提示词画这些格子，其余格子保持不变。模型能看到区域上方和左侧保留的格子；“优中选优”大于 1 时，会留下与下方格子也相称的候选图。</translation>
    </message>
    <message>
        <source>Prompt for the region:</source>
        <translation>区域的提示词：</translation>
    </message>
    <message>
        <source>Redraw</source>
        <translation>重绘</translation>
    </message>
    <message>
        <source>No cells chosen yet.</source>
        <translation>还没有选择格子。</translation>
    </message>
    <message>
        <source>%1 × %2 cells of %3 × %3 to redraw (%4 of %5 codes).</source>
        <translation>重绘 %3 × %3 中的 %1 × %2 个格子（%5 个编码中的 %4 个）。</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Automatic (int8 on this kind of CPU, else fp32)</source>
        <translation>自动（此类 CPU 上用 int8，否则 fp32）</translation>
    </message>
    <message>
        <source>fp32 (exact)</source>
        <translation>fp32（精确）</translation>
    </message>
    <message>
        <source>int8 (fast on the CPU, nearly exact)</source>
        <translation>int8（CPU 上快，几乎精确）</translation>
    </message>
    <message>
        <source>w8a8 (int8 activations too: faster, less exact)</source>
        <translation>w8a8（激活也用 int8：更快，不那么精确）</translation>
    </message>
    <message>
        <source>bf16</source>
        <translation>bf16</translation>
    </message>
    <message>
        <source>int8 draws nearly the same pictures as fp32 (the same code at 99% of steps on the bundled model) two to three times faster on the CPU. w8a8, where this CPU offers it, is faster still and follows fp32 less closely (97% of steps). GPUs use fp32.</source>
        <translation>int8 画出的图与 fp32 几乎相同（内置模型上 99% 的步骤选出相同的编码），在 CPU 上快两到三倍。w8a8（仅在此 CPU 支持时提供）更快，但与 fp32 的一致程度较低（97% 的步骤）。GPU 使用 fp32。</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Threads for generation on the CPU. One core is left to the window by default.</source>
        <translation>CPU 上生成使用的线程数。默认留出一个核心给界面。</translation>
    </message>
    <message>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <source>A new language applies when the window reopens, a new device or weights when the model reloads (done for you).</source>
        <translation>新的语言在窗口重新打开时生效，新的设备或权重在模型重新加载时生效（会自动完成）。</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::TrainingPage</name>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>The model learns from your images. You can keep using the studio meanwhile.</source>
        <translation>模型正在学习你的图像。在此期间你可以继续使用工作室。</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>Validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Hold the run between two steps</source>
        <translation>在两步之间暂停训练</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>End the run now and keep the model as it is at this step</source>
        <translation>立即结束训练，保留模型在这一步时的状态</translation>
    </message>
    <message>
        <source>Save now</source>
        <translation>立即保存</translation>
    </message>
    <message>
        <source>Write a checkpoint after this step</source>
        <translation>在这一步之后写入检查点</translation>
    </message>
    <message>
        <source>Sample now</source>
        <translation>立即采样</translation>
    </message>
    <message>
        <source>Measure the validation loss and draw the prompts after this step</source>
        <translation>在这一步之后计算验证损失，并为采样提示词生成图像</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Start the run again</source>
        <translation>重新开始训练</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Another fine-tune is still running (%1). Wait for it to end, then try again.</source>
        <translation>另一个微调仍在运行（%1）。请等它结束后再试。</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>正在训练…</translation>
    </message>
    <message>
        <source>The run could not start; the log below says why.</source>
        <translation>训练无法开始，原因见下方日志。</translation>
    </message>
    <message>
        <source>Best validation loss %1</source>
        <translation>最佳验证损失 %1</translation>
    </message>
    <message>
        <source>Step %1 / %2</source>
        <translation>第 %1 / %2 步</translation>
    </message>
    <message>
        <source>Epoch %1</source>
        <translation>第 %1 轮</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <source>Elapsed %1</source>
        <translation>已用 %1</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>Loss %1</source>
        <translation>损失 %1</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>Step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <source>Finished: %1 steps</source>
        <translation>已完成：%1 步</translation>
    </message>
    <message>
        <source>Stopped: %1 steps</source>
        <translation>已停止：%1 步</translation>
    </message>
    <message>
        <source>Finished: %1 steps, validation loss %2 -&gt; %3</source>
        <translation>已完成：%1 步，验证损失 %2 → %3</translation>
    </message>
    <message>
        <source>Stopped: %1 steps, validation loss %2 -&gt; %3</source>
        <translation>已停止：%1 步，验证损失 %2 → %3</translation>
    </message>
    <message>
        <source>Paused for later: the run continues from its last checkpoint when you start it again</source>
        <translation>已暂停，留待以后：再次开始时，训练会从最近的检查点继续</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::TrainingService</name>
    <message>
        <source>Paused after the current step.</source>
        <translation>已在当前步之后暂停。</translation>
    </message>
    <message>
        <source>Resumed.</source>
        <translation>已继续。</translation>
    </message>
    <message>
        <source>A fine-tune is already running.</source>
        <translation>已有一个微调正在运行。</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::Exporter</name>
    <message>
        <source>OpenCV cannot encode %1</source>
        <translation>OpenCV 无法编码 %1</translation>
    </message>
    <message>
        <source>could not embed the record into the %1 file</source>
        <translation>无法把生成记录写入 %1 文件</translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation>无法创建 %1</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::GenerationRequest</name>
    <message>
        <source>%1
Negative prompt: %2</source>
        <translation>%1
反向提示词：%2</translation>
    </message>
    <message>
        <source>Redraw of cells %1,%2 to %3,%4</source>
        <translation>重绘格子 %1,%2 至 %3,%4</translation>
    </message>
    <message>
        <source>Layout: %1</source>
        <translation>布局：%1</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::ModelManagerDialog</name>
    <message>
        <source>Random weights, small (64 px demo, no training)</source>
        <translation>随机权重，small（64 像素演示，未训练）</translation>
    </message>
    <message>
        <source>Random weights, tiny (16 px, for testing)</source>
        <translation>随机权重，tiny（16 像素，仅供测试）</translation>
    </message>
    <message>
        <source>%1 — bundled default model</source>
        <translation>%1 — 内置默认模型</translation>
    </message>
</context>
<context>
    <name>shenbi::ui::ModelService</name>
    <message>
        <source>could not build a random '%1' model</source>
        <translation>无法构建随机权重的“%1”模型</translation>
    </message>
</context>
</TS>