<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
<context>
    <name>shenbi::ui::AboutDialog</name>
    <message>
        <source>images the bundled model was trained on</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Chinese emoji names and keywords (captions), territories and languages (knowledge graph)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>emoji groups and subgroups (knowledge graph)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>emoji code points and image names</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Chinese aliases and categories of emoji (knowledge graph)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>traditional to simplified Chinese conversion of the graph's words</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the model architecture and checkpoint format re-implemented</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>user interface</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>neural network engine</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>matrix products on the CPU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>image encoding and resizing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>coroutines over Qt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>model and metadata files</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>About Shenbi</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not found</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&lt;h3&gt;Shenbi 神笔 %1&lt;/h3&gt;&lt;p&gt;Knowledge-enhanced Chinese text-to-image generation: a native re-implementation of ARTIST (Alibaba EasyNLP).&lt;/p&gt;&lt;p&gt;Entities of the prompt are linked to a knowledge graph; hover an underlined word to see what the model is told.&lt;/p&gt;&lt;p&gt;Licence: Apache-2.0.&lt;/p&gt;&lt;p&gt;Bundled model: %2&lt;br&gt;Knowledge graph: %3&lt;/p&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>About</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Component</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Used for</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Licence</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Credits and licences</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::CandidateGallery</name>
    <message>
        <source>#%1 · %2/%3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>#%1 · seed %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Model's certainty %1 nats per code (higher: surer)
</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Candidate %1
Seed %2 (its own; the request's seed %3 draws it again as #%1)
%4Double-click to enlarge, S to star, drag to export</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enlarge</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Compare selected (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove star</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Star</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy image</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reuse this request's seed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Redraw a region…</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::CellPicker</name>
    <message>
        <source>Drag over the cells to redraw</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::DataPage</name>
    <message>
        <source>the caption is empty</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n image(s), %1 usable, %2 left out</source>
        <translation>
            <numerusform>%n image, %1 usable, %2 left out</numerusform><numerusform>%n images, %1 usable, %2 left out</numerusform></translation>
    </message>
    <message>
        <source>Sizes: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TSV files (*.tsv);;All files (*)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The pictures to train on, each with a caption: what you would type to get it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A folder of images with same-named .txt captions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>EasyNLP TSV files</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Double-click a caption to correct it: it is saved to its .txt file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Optional</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Training</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Validation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Images held out to measure how well training generalises; they are not trained on.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hold out for validation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Folder of images and captions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Training TSV</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Validation TSV</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot check the folder %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot save the caption of %1 to %2: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Left out: %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Warning: %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Checking %1…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No images (png, jpg, jpeg, webp, bmp) in %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 for training, %2 for validation</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::EntityHighlighter</name>
    <message>
        <source>Past the model's token limit: this text is not used.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::ExportDialog</name>
    <message numerus="yes">
        <source>Export %n image(s)</source>
        <translation>
            <numerusform>Export %n image</numerusform><numerusform>Export %n images</numerusform></translation>
    </message>
    <message>
        <source>PNG (lossless, iTXt record)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>JPEG (EXIF + XMP record)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>WebP (EXIF + XMP record)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Upscale</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lanczos (smooth)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Nearest (pixel art)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Filter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fields: {date} {time} {prompt} {seed} {cseed} {index} {model} {id}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>File name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Export folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::FinetuneWizard</name>
    <message>
        <source>Fine-tune on your images — %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Training is running</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stop training for now? It is kept at its last checkpoint, and Shenbi offers to continue it the next time it starts.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::FinishPage</name>
    <message>
        <source>Your model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose the weights to keep and a name; the model then appears in the model manager.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add to my models</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Weights</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open it in the studio now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open in the studio</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Export as command</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The same run from a terminal (it resumes from the run's checkpoints):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lowest validation loss (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Last weights (step %1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Could not create the folder %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Could not add the model: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Give the model a name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The name may not contain “/”.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::GenerationService</name>
    <message>
        <source>No model is loaded.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::HistoryPanel</name>
    <message>
        <source>cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>interrupted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search prompts…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Only requests with a starred candidate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>History is off: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show more</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>List %n older request(s)</source>
        <translation>
            <numerusform>List %n older request</numerusform><numerusform>List %n older requests</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform><numerusform>%n images</numerusform></translation>
    </message>
    <message>
        <source>%1
Seed %2 · model %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show candidates</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Use prompt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Use seed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Use all parameters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete from history</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::HistoryStore</name>
    <message>
        <source>%1 was written by a newer Shenbi (history format %2; this one reads up to %3), so it is left untouched</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::ImageCompareDialog</name>
    <message>
        <source>Compare candidates</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Candidate</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::KnowledgePage</name>
    <message>
        <source>(the first %1 rows of the TSV)</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%1 — %n caption(s)</source>
        <translation>
            <numerusform>%1 — %n caption</numerusform><numerusform>%1 — %n captions</numerusform></translation>
    </message>
    <message>
        <source>Head</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Relation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Knowledge</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>What the model's knowledge graph finds in your captions, and your own facts for what it lacks.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>What the model already knows</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This model has no knowledge graph: triples cannot reach it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Most linked entities</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Words that link nothing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your own triples</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>One fact per row: a head, a relation and a tail, e.g. %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add row</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove row</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Load TSV…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Counting the entities your captions link…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot count the entities of the captions: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 of %2 captions link an entity</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Triples file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Triples (*.tsv *.txt *.csv);;All files (*)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot load the triples: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New names (get knowledge vectors when training starts): %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Row %1: the head is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Row %1: the relation is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Row %1: the tail is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No run folder is set.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot create the run folder %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::LayoutDialog</name>
    <message>
        <source>Draw in parts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Drag over the grid to place a part, give it a prompt (e.g. 一只猫在左边) and add it. Each part is drawn from its own prompt; the cells outside every part from the prompt for the rest. A later part wins where two overlap.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Prompt for the part, e.g. 一只猫在左边</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add part</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove part</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Prompt for the rest of the picture:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Generate</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::MainWindow</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shenbi 神笔 — knowledge-enhanced Chinese text-to-image</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Knowledge graph not loaded: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Generate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Generate (Ctrl+Enter). While a request runs, this adds to the queue.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stop the running request (Ctrl+.); queued ones stay.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%v / %m tokens</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Queue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Import parameters from image…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Export selected…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copy image</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Redraw a region of an image…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Picture to redraw a region of</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Redraw a region</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Generate next (front of the queue)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Draw in &amp;parts…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel running</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel all</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Models</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Model manager…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fine-tune on my images…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Models</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Preferences…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>About Shenbi</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Removed %n invisible or control character(s) from the pasted text.</source>
        <translation>
            <numerusform>Removed %n invisible or control character from the pasted text.</numerusform><numerusform>Removed %n invisible or control characters from the pasted text.</numerusform></translation>
    </message>
    <message>
        <source>Knowledge: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Loading model…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Model not loaded: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Seed %1 fixed: the same prompt and settings draw these candidates again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Model: %1 · %2 px · %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source> · random weights</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Random weights: the pictures are noise. Open a trained model in Models → Model manager.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Checksum %1
Fusion %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Draws well: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Type a prompt first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No model is loaded yet.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Queued next (%n waiting).</source>
        <translation>
            <numerusform>Queued next (%n waiting).</numerusform><numerusform>Queued next (%n waiting).</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Queued (%n waiting).</source>
        <translation>
            <numerusform>Queued (%n waiting).</numerusform><numerusform>Queued (%n waiting).</numerusform></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Starting…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 elapsed · estimating…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 elapsed · %2 left</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Done in %1 · %2 ms/token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Generation failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add to queue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add to queue (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Plan the layout: each part is drawn from its own prompt.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Prompt tokens / the model's text length.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Too long: %n token(s) past the limit will be dropped (shown struck out).</source>
        <translation>
            <numerusform>Too long: %n token past the limit will be dropped (shown struck out).</numerusform><numerusform>Too long: %n tokens past the limit will be dropped (shown struck out).</numerusform></translation>
    </message>
    <message>
        <source>Close to the limit: text after %1 tokens is dropped.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+click</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Prompt: cycle through overlapping entities</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Up / Down</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Prompt: earlier prompts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gallery: star or unstar the selected candidates</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter / Space / double-click</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gallery: enlarge</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Close a popup (never cancels a generation)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The parts placed by hand are back in Draw in parts…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 has no generation parameters.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Parameters restored from %1 (Ctrl+Z in the prompt brings the previous text back)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>made with model %1, not the open one: the same seed draws other images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Image with generation parameters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Import parameters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Nothing to export yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Exported %n image(s) to %1</source>
        <translation>
            <numerusform>Exported %n image to %1</numerusform><numerusform>Exported %n images to %1</numerusform></translation>
    </message>
    <message>
        <source>Image copied</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>#%1 · seed %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Imported into %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A fine-tune is already running.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unfinished fine-tune</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A fine-tune did not finish:
%1

Continue it from its last checkpoint, with the same settings?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Continue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Later</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Forget it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot continue the fine-tune</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Quit while fine-tuning?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A fine-tune is running. Quit? It is kept at its last checkpoint, and Shenbi offers to continue it the next time it starts.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>A request is running, with %n more in the queue. Quit and cancel them?</source>
        <translation>
            <numerusform>A request is running, with %n more in the queue. Quit and cancel them?</numerusform><numerusform>A request is running, with %n more in the queue. Quit and cancel them?</numerusform></translation>
    </message>
    <message>
        <source>A request is running. Quit and cancel it?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Quit while generating?</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::MethodPage</name>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Method and settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>How the model learns your images, and for how long. The time estimates come from training steps measured on this computer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Full fine-tune: every weight of the GPT learns (saves a whole model)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>LoRA adapters: small matrices beside the GPT's attention and MLP layers learn (saves a few MB, opened on top of the base model)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rank</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Alpha</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>How long</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Quick</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Balanced</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thorough</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Advanced settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>at the end only</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>One prompt per line; sampled at every validation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>automatic</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>bf16 mixed precision (faster on this CPU)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The forward pass computes in bf16 where this CPU does it natively (AMX or AVX512_BF16); the weights and the optimizer stay fp32. Training on a GPU ignores it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Learning rate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Batch size</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Validate and sample every</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Checkpoint every</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Early stop after (validations without improvement)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sample prompts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>CPU threads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Run folder</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n epochs</source>
        <translation>
            <numerusform>%n epoch</numerusform><numerusform>%n epochs</numerusform></translation>
    </message>
    <message>
        <source>%1, %2 steps</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>, about %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source> (stops early when validation stops improving)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Measuring a few training steps on this computer…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 s per step of %2 images, measured here. The estimates cover the training steps; validation and samples add to them.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Could not measure a training step: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Seed %1: must be a whole number of 0 or more</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot copy your triples to %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::ModelManagerDialog</name>
    <message>
        <source>adapter.json names no base model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no model.json or pytorch_model.bin here</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (EasyNLP, used in place)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (LoRA on %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (cannot be read: %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Import EasyNLP model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Converting %1 writes a copy of about %2 into %3 (%4 free there).

Or use the folder where it is: nothing is copied, it is converted each time it is loaded, and it must stay in place.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Convert into a copy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Use in place</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is not enough free space for a copy.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Models</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Load</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add model folder…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Import EasyNLP folder…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Forget</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shenbi or EasyNLP model folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>EasyNLP ARTIST folder (pytorch_model.bin, config.json, vocab.txt)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No model loaded.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;checksum %2 · %3 px · %4 text tokens · fusion %5 · %6</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (open)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Untrained: draws noise. For trying the studio and for tests.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This model says nothing about what it draws.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Draws well: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::ModelService</name>
    <message>
        <source>%1 (LoRA on %2)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::ParamsPanel</name>
    <message>
        <source>Images sampled together in one batch for each request.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Candidates</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Candidate i uses a seed derived from this one, so a request is reproducible.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New random seed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fixed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Keep this seed for every request (otherwise a new one is drawn each time).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reuse the seed of the last request</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lower: safer, more repetitive images. Higher: more varied, noisier.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Temperature</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sample each image token among the k most likely codes (0 = all).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Top-k</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Nucleus sampling: the smallest set of codes whose probability reaches p (1 = off).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Top-p</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Classifier-free guidance: how much more closely the images follow the prompt than an empty one. Higher: closer to the prompt, less varied; 1 = off. Costs a second pass per token.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>colours </source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>colours as guidance</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Guidance for the colours the prompt gives its objects, apart from the rest: where it colours one (一辆橙色的汽车), one more pass reads it without the colour (一辆汽车). Above Guidance the colours are followed more closely, and the objects drawn less well; below it less. Each part of a planned layout is read apart on its own. Costs a pass per coloured prompt.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Guidance</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e.g. 红色</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Negative</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sample this many images per candidate and keep those the model is surest of given the prompt. Slower by the same factor; 1 = off.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Best of</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Plan the layout</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Draw each object the prompt names in its own part of the picture: 一只猫和一条狗 draws the cat on the left and the dog on the right, 一个苹果在一只熊猫的上面 the apple in the top half. A prompt with one object (三把伞 too) is drawn whole. Each part costs a pass: generating takes longer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>guidance </source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>guidance as above</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Guidance for a picture drawn in parts (a planned layout, or Draw in parts…) instead of Guidance: each part is one object in its place, which a stronger pull towards its prompt draws more often. The bundled model recommends 3.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Use the knowledge graph</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Feed the linked entities' TransE vectors to the model (ARTIST).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>How entity vectors reach the GPT; fixed by the loaded model.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fusion</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>What the images should not show: guidance steers away from this prompt instead of an empty one, e.g. 红色 (the bundled model draws a single object in its usual colour about half as often).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A negative prompt needs guidance above 1 (off): guidance is what steers away from it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Recommended by the model %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::PromptEditor</name>
    <message>
        <source>Describe the picture in Chinese (Ctrl+Enter to generate)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Describe the picture in Chinese, e.g. %1 (Ctrl+Enter to generate)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>linked</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not linked</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No relations in the graph.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+click cycles through the overlapping entities.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+click to unlink or link again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Knowledge</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unlink “%1”</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Link “%1”</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Link all entities again</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::QueuePanel</name>
    <message>
        <source>Run next</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Move the selected waiting requests to the front of the queue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Move up</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Move down</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel selected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel all</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>queued</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%1 · %2 · %n image(s)</source>
        <translation>
            <numerusform>%1 · %2 · %n image</numerusform><numerusform>%1 · %2 · %n images</numerusform></translation>
    </message>
</context>
<context>
    <name>shenbi::ui::RedrawDialog</name>
    <message>
        <source>Redraw a region</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Drag over the picture to choose the cells to redraw. The model draws them for the prompt below and keeps every other cell. It sees the kept cells above and to the left of the region; with Best of above 1, it keeps the candidates that also fit those below.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Prompt for the region:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Redraw</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No cells chosen yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 × %2 cells of %3 × %3 to redraw (%4 of %5 codes).</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Automatic (int8 on this kind of CPU, else fp32)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>fp32 (exact)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>int8 (fast on the CPU, nearly exact)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>w8a8 (int8 activations too: faster, less exact)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>bf16</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>int8 draws nearly the same pictures as fp32 (the same code at 99% of steps on the bundled model) two to three times faster on the CPU. w8a8, where this CPU offers it, is faster still and follows fp32 less closely (97% of steps). GPUs use fp32.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Weights</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Threads for generation on the CPU. One core is left to the window by default.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>CPU threads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A new language applies when the window reopens, a new device or weights when the model reloads (done for you).</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::TrainingPage</name>
    <message>
        <source>Training</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The model learns from your images. You can keep using the studio meanwhile.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Training loss</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Validation loss</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Loss</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hold the run between two steps</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>End the run now and keep the model as it is at this step</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Write a checkpoint after this step</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sample now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Measure the validation loss and draw the prompts after this step</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Try again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Start the run again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Another fine-tune is still running (%1). Wait for it to end, then try again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Training…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The run could not start; the log below says why.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Best validation loss %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Step %1 / %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Epoch %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Elapsed %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ETA %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Loss %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Prompt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Base model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Step %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Finished: %1 steps</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stopped: %1 steps</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Finished: %1 steps, validation loss %2 -&gt; %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stopped: %1 steps, validation loss %2 -&gt; %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paused for later: the run continues from its last checkpoint when you start it again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::TrainingService</name>
    <message>
        <source>Paused after the current step.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Resumed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A fine-tune is already running.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::Exporter</name>
    <message>
        <source>OpenCV cannot encode %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>could not embed the record into the %1 file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot create %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::GenerationRequest</name>
    <message>
        <source>%1
Negative prompt: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Redraw of cells %1,%2 to %3,%4</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Layout: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::ModelManagerDialog</name>
    <message>
        <source>Random weights, small (64 px demo, no training)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Random weights, tiny (16 px, for testing)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 — bundled default model</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>shenbi::ui::ModelService</name>
    <message>
        <source>could not build a random '%1' model</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>