"""Every word of Chinese a reader sees that qadocs writes from Python, in one table: page
furniture, counts, placeholders, the notices of moved and deleted questions. Each is a
`str.format` pattern whose fields are filled in escaped for where the text goes.

assets/qadocs.js holds the words of what it adds to a page (its toolbar, practice mode, the
review list) at its own top, and templates/404.html the not-found page's."""

from __future__ import annotations

# Question pages
QUESTION_NUMBER = "第 {number} 题"  # a question's number in its source
ALSO_IN = "也见于[《{source}》{number}](<{url}>)"  # another place the same question is written
FOLLOWUPS = "追问"  # over the list of a question's follow-ups

# Index pages
HOME = "首页"
HOME_TITLE = "题库目录"
REVIEW = "待复习"
RANDOM = "随机一题"
SEARCH = "搜索题目"
FROM_FIRST = "从第一题开始"
COUNT = "共 {n} 道面试题与答案"  # how many questions a page's scope holds
QUESTIONS_OF = "（{n} 题）"  # after a source or section in a list
SECTION_SUMMARY = "{title}：{files} 个文件，{count}"  # a section page's description
HOME_SUMMARY = "共 {pages} 道题：{files} 个文件{sections}。"
HOME_SECTIONS = "、{n} 个分区"
EMPTY_SOURCE = "这个文件里没有题目。"

# The review page
REVIEW_DESCRIPTION = "你在这个浏览器里标记为待复习的题目。"
REVIEW_INTRO = (
    "在题目页上标记“待复习”的题目列在这里，方便集中复习。"
    "标记只保存在这个浏览器里，不会上传，换设备或清除浏览器数据后就没有了。"
)
REVIEW_NO_SCRIPT = "这个列表要用 JavaScript 从浏览器里读出：请允许本站运行 JavaScript 后刷新。"

# Former URLs
MOVED = "这道题的地址已更改：{title}"
MOVED_LINK = "前往新地址"
DELETED = "这道题已从题库删除：{title}"
DELETED_GOING = "正在前往它原来所在的章节。"
DELETED_LINK = "前往原来的章节"
PAGE_MOVED = "这一页已移到：{title}"  # a section, source or chapter page's former URL

# In answers
MISSING_IMAGE = "图片缺失：{target}"
MISSING_IMAGE_ALT = "（{alt}）"
BROKEN_LINK = "链接失效：{target}"

# Page descriptions (core/text/describe.py)
DESCRIPTION_FALLBACK = "{title} — 面试题与答案"  # a page whose answer shows no text
DESCRIPTION_FALLBACK_OTHER = "面试题：{title}"  # the same, when the first one is the site's own description
MATH_SHOWN = "[公式]"  # what inline math that is not plain text shows as

# The sidebar (plugin/sidebar.py)
MORE = "…（共 {count} 项）"  # the link to the full list on the section's index page
